"""The composer: the Markdown textarea every member writes in, with its toolbar and preview.

``ComposerTextarea`` is a ``Textarea`` rendered through ``components/_composer.html``: the
toolbar (``static/vendor/markdown-toolbar-element``, shown only once its script runs), the
textarea itself, a "Preview" button and the region the preview appears in. Without
JavaScript the textarea works as a plain one, and the button submits the form with
``preview`` set, so that the view shows the preview with the text kept
(:func:`preview_into`); with htmx it asks the preview endpoint.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from community.content import limits
from community.services.conversations import render_body


class ComposerTextarea(forms.Textarea):
    template_name = "components/_composer.html"

    def __init__(self, attrs=None, *, images: bool = True):
        super().__init__(attrs)
        # Only texts saved as posts keep their photos (``services.media.images_attach``);
        # elsewhere an upload would be deleted as an orphan a day later: no photo tool.
        self.images = images
        self.preview_html = None  # set by the view for a no-JavaScript preview

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(images=self.images, preview=self.preview_html)
        return context

    def _render(self, template_name, context, renderer=None):
        # The site's template engine (templates/components/), not the forms renderer's.
        return render_to_string(template_name, context)


def rendered_preview(user, body: str) -> str:
    """``body`` as posting it would store it: the same size limits, the same renderer and
    sanitiser, the member's own photos (``upload:<key>``) resolved. Raises
    ``ValidationError`` with the sentence a post would get for its size."""
    body = (body or "").strip()
    limits.size_check(body)
    return render_body(body, owners={user}).html if body else ""


def preview_into(request, form) -> bool:
    """Without JavaScript, the composer's "Preview" button submits the form with ``preview``
    set to the field's name: put that field's rendered text into its widget and answer True
    (the view then shows the form again, text kept, nothing saved). False for a real post."""
    name = request.POST.get("preview")
    if not name or name not in form.fields:
        return False
    widget = form.fields[name].widget
    try:
        widget.preview_html = rendered_preview(request.user, form.data.get(form.add_prefix(name)))
    except ValidationError as error:
        form.add_error(name, error)
        widget.preview_html = ""
    return True


def form_status(form) -> int:
    """The status of a form page shown again: 200 unbound or showing a preview, 400 for a
    form sent back with errors."""
    previewing = any(getattr(field.widget, "preview_html", None) is not None
                     for field in form.fields.values())
    return 400 if form.is_bound and not previewing else 200
