"""The worker's entry point for every `Job` (architecture.md rule 5: it takes an ID and can be re-run)."""

from django_tasks import task

from lindung.background import runner
from lindung.background.models import Job


def handlers() -> dict:
    from lindung.enrolment import background as enrolment
    from lindung.protection import background as protection
    from lindung.verification import background as verification

    return {Job.Kind.FORM_COHORT: enrolment.form_cohort_job, Job.Kind.ADD_TO_COHORT: enrolment.add_to_cohort_job,
            Job.Kind.SUBMISSION: enrolment.submission_job, Job.Kind.LAMPIRAN: enrolment.lampiran_job,
            Job.Kind.RESPONSE: enrolment.response_job,
            Job.Kind.SUBMIT: enrolment.submit_job, Job.Kind.DECIDE: verification.decide_job,
            Job.Kind.RENEWAL: protection.renewal_job}


@task()
def run_job_task(job_id: int) -> None:
    Job.objects.recover_stale()  # a worker restarted after a kill cleans up after its predecessor
    runner.run(job_id, handlers())
