"""Duplicates within one programme: groups of candidates that are one person, and keeping one of them.

A group is a connected component of the programme's duplikat pairs that are the same person (the engine
was sure, or a reviewer decided *sama*). The operator keeps one; the others become *duplikat* with a
StatusChange, so they are never verified or seated. Only an explicit undo, with a reason, reverses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lindung.imports.models import Candidate, CandidateStatus
from lindung.lib.audit import record_change
from lindung.linkage.models import DuplicateMark, MatchPair
from lindung.matching.run import components

# A candidate past these is on its way to BPJS or has been there: a duplicate of it is settled on the
# Penetapan page (release the seat), not here.
MARKABLE = (CandidateStatus.CALON, CandidateStatus.TERVERIFIKASI, CandidateStatus.TIDAK_LAYAK)


class DuplicateError(ValueError):
    """The keep/undo cannot be done as asked; the message says why, in Indonesian."""


@dataclass
class Group:
    members: list[Candidate]
    pairs: list[MatchPair]
    marks: dict[int, DuplicateMark] = field(default_factory=dict)  # candidate pk -> its active mark

    @property
    def open(self) -> bool:
        """More than one member still counts as a person in the programme."""
        return sum(1 for c in self.members if c.status != CandidateStatus.DUPLIKAT) > 1


def group_pairs(program):
    return MatchPair.objects.filter(kind=MatchPair.Kind.DUPLIKAT, left__program=program).same_person()


def groups_for(program, visible) -> list[Group]:
    """The programme's duplicate groups with at least two members in `visible` (the user's candidates);
    open groups first."""
    pairs = list(group_pairs(program).order_by("-score", "pk"))
    ids = components([(p.left_id, p.right_id) for p in pairs])
    shown = set(visible.filter(pk__in={pk for g in ids for pk in g}).values_list("pk", flat=True))
    members = Candidate.objects.filter(pk__in=shown).select_related("desa", "source_batch").in_bulk()
    marks = {m.candidate_id: m for m in DuplicateMark.objects.filter(candidate__in=shown, undone_at__isnull=True)
             .select_related("kept", "marked_by")}
    result = []
    for group_ids in ids:
        inside = [members[pk] for pk in group_ids if pk in shown]
        if len(inside) < 2:
            continue
        in_group = set(group_ids)
        result.append(Group(members=inside, pairs=[p for p in pairs if p.left_id in in_group],
                            marks={pk: marks[pk] for pk in group_ids if pk in marks}))
    return sorted(result, key=lambda g: (not g.open, g.members[0].pk))


def loose_marks(visible, groups: list[Group]) -> list[DuplicateMark]:
    """Candidates still set aside whose group is gone (a pair later decided *berbeda*): listed so they can be
    given back their status."""
    grouped = {c.pk for g in groups for c in g.members}
    return list(DuplicateMark.objects.filter(candidate__in=visible, undone_at__isnull=True).exclude(candidate__in=grouped)
                .select_related("candidate__desa", "kept", "marked_by").order_by("candidate_id"))


def group_of(candidate: Candidate) -> set[int]:
    """The pks of the candidate's current duplicate group (itself alone when it has none)."""
    for group_ids in components([(p.left_id, p.right_id) for p in group_pairs(candidate.program_id)]):
        if candidate.pk in group_ids:
            return set(group_ids)
    return {candidate.pk}


def chain_besides(pair: MatchPair) -> list[MatchPair]:
    """The programme's same-person duplicate pairs other than `pair` that join its two candidates, in order
    from its left one: they stay one group (a connected component) whatever is decided on `pair`. Empty when
    none does. Breadth first, one query a step (a group is a handful of candidates)."""
    program_id = Candidate.objects.filter(pk=pair.left_id).values_list("program_id", flat=True).first()
    same = group_pairs(program_id).exclude(pk=pair.pk).select_related("left", "right")
    came_by: dict[int, MatchPair | None] = {pair.left_id: None}
    frontier = {pair.left_id}
    while frontier and pair.right_id not in came_by:
        reached = set()
        for step in same.filter(Q(left_id__in=frontier) | Q(right_id__in=frontier)):
            for here, there in ((step.left_id, step.right_id), (step.right_id, step.left_id)):
                if here in frontier and there not in came_by:
                    came_by[there] = step
                    reached.add(there)
        frontier = reached
    chain, at = [], pair.right_id
    while came_by.get(at) is not None:
        step = came_by[at]
        chain.append(step)
        at = step.left_id if step.right_id == at else step.right_id
    return chain[::-1]


def chain_message(pair: MatchPair, chain: list[MatchPair]) -> str:
    """Why *berbeda* on `pair` is not saved: which pairs keep its two candidates in one group."""
    links = "; ".join(f"{step.left.nama} (calon #{step.left_id}) – {step.right.nama} (calon #{step.right_id}): "
                      f"{step.get_status_display().lower()}" for step in chain)
    return (f"{pair.left.nama} dan {pair.right.nama} tetap satu kelompok duplikat lewat pasangan lain yang sudah "
            f"dianggap orang yang sama: {links}. Keputusan «orang berbeda» di sini tidak memisahkan mereka, jadi "
            "tidak disimpan. Bila mereka memang dua orang, putuskan «orang berbeda» pada pasangan yang keliru di "
            "rantai itu lebih dulu.")


def keep_one(*, kept: Candidate, others: list[Candidate], user, note: str = "") -> list[Candidate]:
    """Keep `kept`; the others of its group become *duplikat*. Returns those marked now."""
    note = (note or "").strip()
    with transaction.atomic():
        kept = Candidate.objects.select_for_update().select_related("program").get(pk=kept.pk)
        group = group_of(kept)
        chosen = list(Candidate.objects.select_for_update().filter(pk__in=[c.pk for c in others]).order_by("pk"))
        _check_keep(kept, chosen, group)
        marked = [c for c in chosen if c.status != CandidateStatus.DUPLIKAT]
        for candidate in marked:
            _mark(candidate, kept, user, note)
    return marked


def _check_keep(kept: Candidate, chosen: list[Candidate], group: set[int]) -> None:
    from lindung.enrolment.models import Enrolment

    if kept.status == CandidateStatus.DUPLIKAT:
        raise DuplicateError(f"{kept.nama} sendiri sudah ditandai duplikat; batalkan dulu tandanya bila dia yang disimpan.")
    if not chosen:
        raise DuplicateError("Tidak ada calon lain dalam kelompok ini yang ditandai duplikat.")
    strangers = [c.nama for c in chosen if c.pk not in group or c.pk == kept.pk]
    if strangers:
        raise DuplicateError("Bukan anggota kelompok ini: " + ", ".join(strangers) + ". Muat ulang halaman.")
    late = [f"{c.nama} ({c.get_status_display().lower()})" for c in chosen
            if c.status not in MARKABLE and c.status != CandidateStatus.DUPLIKAT]
    seated = Enrolment.objects.filter(candidate__in=chosen, state=Enrolment.State.SEATED).select_related("candidate")
    late += [f"{e.candidate.nama} (sudah mendapat kursi)" for e in seated]
    if late:
        raise DuplicateError("Tidak dapat ditandai duplikat di sini: " + ", ".join(late)
                             + ". Keluarkan dulu dari kohort di halaman Penetapan, atau simpan calon itu.")


def _mark(candidate: Candidate, kept: Candidate, user, note: str) -> None:
    reason = f"Duplikat dari {kept.nama} (calon #{kept.pk})" + (f". {note}" if note else "")
    old_status = candidate.status
    DuplicateMark.objects.create(candidate=candidate, kept=kept, old_status=old_status, alasan=reason[:255], marked_by=user)
    candidate.change_status(CandidateStatus.DUPLIKAT, user=user, reason=reason)
    record_change(user, candidate, old={"status": old_status}, new={"status": CandidateStatus.DUPLIKAT}, note=reason)


def undo(*, mark: DuplicateMark, user, alasan: str) -> Candidate:
    """Give a candidate set aside as duplicate its status back; only with a reason."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise DuplicateError("Tuliskan alasan pembatalan tanda duplikat.")
    with transaction.atomic():
        mark = DuplicateMark.objects.select_for_update().select_related("candidate").get(pk=mark.pk)
        candidate = mark.candidate
        if mark.undone_at is not None or candidate.status != CandidateStatus.DUPLIKAT:
            raise DuplicateError(f"{candidate.nama} tidak lagi bertanda duplikat; muat ulang halaman.")
        mark.undone_by, mark.undone_at, mark.undo_alasan = user, timezone.now(), alasan[:255]
        mark.save(update_fields=["undone_by", "undone_at", "undo_alasan"])
        reason = f"Tanda duplikat dibatalkan: {alasan}"
        candidate.change_status(mark.old_status, user=user, reason=reason)
        record_change(user, candidate, old={"status": CandidateStatus.DUPLIKAT}, new={"status": mark.old_status}, note=reason)
    return candidate
