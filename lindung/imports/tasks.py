"""Background jobs (architecture.md rule 5): they take IDs, report progress to the batch row, and can be re-run."""

from django.contrib.auth import get_user_model
from django_tasks import task

from lindung.imports import services
from lindung.imports.models import ImportBatch
from lindung.linkage.models import MatchRun
from lindung.linkage.services import request_run


@task()
def validate_batch_task(batch_id: int) -> None:
    ImportBatch.objects.recover_stale()  # a worker restarted after a kill cleans up after its predecessor
    batch = ImportBatch.objects.select_related("program").get(pk=batch_id)
    services.run_validation(batch)


@task()
def commit_batch_task(batch_id: int, user_id: int) -> None:
    ImportBatch.objects.recover_stale()
    batch = ImportBatch.objects.select_related("program").get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    services.commit(batch, user=user)
    # New candidates: look for them in other lists and on the BPJS roster (issue 5), in a job of its own.
    request_run(user=user, trigger=MatchRun.Trigger.IMPORT)
