"""Host tools (staff only)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community import permissions
from community.selectors import advocates as advocate_selectors
from community.selectors.feeds import page_number


@login_required
@require_GET
def advocates(request):
    """Members ranked by help given to other members. Template ``community/advocates.html``."""
    permissions.require(permissions.can_use_host_tools(request.user),
                        "The advocates page is for the host team.")
    page = advocate_selectors.advocates_page(page=page_number(request.GET.get("page")))
    return render(request, "community/advocates.html", {
        "page": page, "helper_top": advocate_selectors.HELPER_TOP,
        "routing": advocate_selectors.routing_stats(),
    })
