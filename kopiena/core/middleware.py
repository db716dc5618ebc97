import tempfile

from django.conf import settings
from django.shortcuts import render

# A chunked body is copied in pieces of this size while it is counted.
_CHUNK = 64 * 1024


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()"
        )
        return response


def body_limits(view_name: str) -> tuple[int, int]:
    """(files, whole body) in bytes that a request to the route `view_name` may carry.

    Every form may send settings.KOPIENA_MAX_FORM_BYTES; an upload route, named in
    settings.KOPIENA_MAX_UPLOAD_BYTES, may send its files on top of that.
    """
    files = settings.KOPIENA_MAX_UPLOAD_BYTES.get(view_name, 0)
    return files, files + settings.KOPIENA_MAX_FORM_BYTES


class RequestBodyLimitMiddleware:
    """Refuse a body larger than its route allows with 413, before anything reads it.

    The route is known only once the URL is resolved, so the check is a `process_view`;
    it must come before CsrfViewMiddleware's, which reads the whole form (a multipart
    body is spooled to disk) to find the token. The declared Content-Length decides
    without reading. A body without one (`Transfer-Encoding: chunked`, which gunicorn
    passes on with `wsgi.input_terminated`) is read up to the limit and no further;
    without that promise Django reads no body at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        files, limit = body_limits(request.resolver_match.view_name)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or -1)
        except ValueError:
            declared = -1  # Django reads no body without a valid length either
        if declared > limit:
            return self._too_large(request, files, limit)
        if declared < 0 and self._chunked(request):
            body, size = self._read_up_to(request.META["wsgi.input"], limit)
            if body is None:
                return self._too_large(request, files, limit)
            # Django reads the body from `_stream`, as long as CONTENT_LENGTH says.
            request._stream = body
            request.META["CONTENT_LENGTH"] = str(size)
        return None

    @staticmethod
    def _chunked(request) -> bool:
        return (
            bool(request.META.get("wsgi.input_terminated"))
            and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        )

    @staticmethod
    def _read_up_to(stream, limit: int):
        """(the body in a spooled file, its size), or (None, size) past `limit` bytes."""
        body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115 - handed on to the request
        size = 0
        while chunk := stream.read(min(_CHUNK, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                body.close()
                return None, size
            body.write(chunk)
        body.seek(0)
        return body, size

    @staticmethod
    def _too_large(request, files: int, limit: int):
        megabytes = (files or limit) // 2**20
        return render(request, "413.html", {"files": files, "megabytes": megabytes}, status=413)
