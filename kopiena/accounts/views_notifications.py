from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import notifications


# Mail clients post here without a CSRF token (RFC 8058 one-click unsubscribe); the
# signed token in the URL is the only credential, and the action only stops e-mail.
# Opening the link only asks: mail scanners fetch every link of a message, and a GET
# that unsubscribed would stop the digest of everyone whose mail is scanned.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        if request.method == "POST":
            user = notifications.unsubscribe(token=token)
        else:
            user = notifications.unsubscribe_token_user(token)
    except ValidationError:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    return render(
        request,
        "accounts/unsubscribe.html",
        {"email": user.email, "done": request.method == "POST"},
    )
