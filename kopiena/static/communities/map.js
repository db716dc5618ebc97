// Community map island: draws the directory's communities on a Leaflet map.
// The list below the map is the page's content; the map only adds to it, and
// says so when its tiles cannot load.
(function () {
  "use strict";
  var container = document.getElementById("community-map");
  var dataNode = document.getElementById("community-map-data");
  if (!container || !dataNode || typeof window.L === "undefined") {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var statusNode = document.getElementById("community-map-status");
  container.textContent = "";
  container.classList.add("is-active");

  var map = L.map(container, { scrollWheelZoom: false }).setView([56.88, 24.6], 7);
  var tiles = L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 });
  var loaded = 0;
  var failed = 0;
  tiles.on("tileload", function () { loaded += 1; });
  tiles.on("tileerror", function () {
    failed += 1;
    if (loaded === 0 && failed >= 4 && statusNode) {
      statusNode.hidden = false;
      container.classList.add("tiles-failed");
    }
  });
  tiles.addTo(map);

  var icon = L.icon({
    iconUrl: container.dataset.markerIcon,
    iconRetinaUrl: container.dataset.markerIcon2x,
    shadowUrl: container.dataset.markerShadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41]
  });
  var bounds = [];
  data.points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lon], { icon: icon, title: point.name, alt: point.name });
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    marker.bindPopup(link);
    marker.addTo(map);
    bounds.push([point.lat, point.lon]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
  }
})();
