"""The composer: the Markdown textarea every member writes in, with its toolbar and preview.

``ComposerTextarea`` is a ``Textarea`` rendered through ``components/_composer.html``: the
toolbar (``static/vendor/markdown-toolbar-element``, shown only once its script runs), the
textarea itself, a "Preview" button and the region the preview appears in. Without
JavaScript the textarea works as a plain one, and the button submits the form with
``preview`` set, so that the view shows the preview with the text kept
(:func:`community.views.composer.preview_into`); with htmx it asks the preview endpoint.
"""
from django import forms
from django.template.loader import render_to_string


class ComposerTextarea(forms.Textarea):
    template_name = "components/_composer.html"

    def __init__(self, attrs=None, *, images: bool = True):
        super().__init__(attrs)
        self.images = images  # the forms whose service takes photos offer the image tool
        self.preview_html = None  # set by the view for a no-JavaScript preview

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(images=self.images, preview=self.preview_html)
        return context

    def _render(self, template_name, context, renderer=None):
        # The site's template engine (templates/components/), not the forms renderer's.
        return render_to_string(template_name, context)
