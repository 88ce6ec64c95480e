"""Photos in posts: the upload endpoint (for the editor) and the forms' "Add a photo"."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from community.content.limits import refusal_status
from community.services import media


def _sentence(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def image_upload(request):
    """``POST`` a photo (``image``) and its description (``alt_text``), multipart with the
    CSRF token; answers 201 with the Markdown to put in the text, or the refusal's sentence
    (400; 429 past the day's quota; 403 for who may not post)."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": gettext("Choose a photo to upload.")}, status=400)
    try:
        image = media.image_upload(uploader=request.user, upload=upload,
                                   alt_text=request.POST.get("alt_text", ""))
    except ValidationError as error:
        return JsonResponse({"error": _sentence(error)}, status=refusal_status(error))
    sources = image.urls()
    return JsonResponse({
        "key": image.key, "markdown": image.markdown, "alt": image.alt_text,
        "width": image.width, "height": image.height,
        "sizes": [{"url": url, "width": w, "height": h} for url, w, h in sources],
    }, status=201)


def photo_into_body(request, form, *, field: str = "body") -> ValidationError | None:
    """The form's "Add a photo", uploaded and put at the end of its text (in the bound data,
    so that the text shown again after any later refusal keeps it and nothing is uploaded
    twice). Runs whether or not the rest of the form is valid, once the photo and its
    description are. A refusal goes next to the photo field and is returned."""
    cleaned = getattr(form, "cleaned_data", {})
    upload = cleaned.get("photo")
    if not upload or "photo_alt" not in cleaned:
        return None
    if form.has_error(NON_FIELD_ERRORS, "honeypot") or form.has_error(NON_FIELD_ERRORS, "stale"):
        return None  # a form the bot guard refused stores nothing
    try:
        image = media.image_upload(uploader=request.user, upload=upload,
                                   alt_text=cleaned["photo_alt"])
    except ValidationError as error:
        form.add_error("photo", error)
        return error
    name = form.add_prefix(field)
    typed = (form.data.get(name) or "").strip()
    body = f"{typed}\n\n{image.markdown}" if typed else image.markdown
    form.data = form.data.copy()
    form.data[name] = body
    form.data[form.add_prefix("photo_alt")] = ""
    if field in cleaned:
        cleaned[field] = body
    cleaned.pop("photo", None)
    return None
