"""`{% jobs_running program %}`: the programme's jobs still waiting or running that this user may follow,
each with its progress bar (the page reloads itself when one ends)."""

from django import template

from lindung.accounts.access import is_disnaker
from lindung.background.models import Job
from lindung.background.views import SHARED_KINDS

register = template.Library()


@register.inclusion_tag("background/_running.html", takes_context=True)
def jobs_running(context, program, kinds: str = ""):
    user = context["request"].user
    found = []
    for job in Job.objects.filter(program=program).active().order_by("created_at", "pk")[:10]:
        if kinds and job.kind not in kinds.split(","):
            continue
        if job.user_id == user.pk or (job.kind in SHARED_KINDS and is_disnaker(user)):
            job.recover_if_stale()
            found.append(job)
    return {"running_jobs": [job for job in found if job.is_running]}
