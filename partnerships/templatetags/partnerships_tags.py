from django import template

from partnerships.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown safely (nh3 whitelist)."""
    return render_markdown(text)
