from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from personnel.scope import grants_of
from personnel.selectors import units_visible_to


@require_GET
def health(request):
    """A fixed answer: the load balancer's probe and the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def home(request):
    grants = grants_of(request.user)
    units = units_visible_to(request.user).filter(pk__in=[g.unit_id for g in grants])
    if request.user.is_superuser and not grants:
        units = units_visible_to(request.user).filter(parent__isnull=True)
    return render(request, "congress/home.html", {"grants": grants, "root_units": units})
