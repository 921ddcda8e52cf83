"""Every URL pattern, requested as every role: the rule of each page, in one table.

For each URL name, EXPECTED says which object the page is asked for (OBJECTS below
builds its address from the world of `world`) and what a GET and a POST answer to
each role, in this order:

    anon  secretariat  head  head2  delegate  delegate2  observer

- head: the desk head who chairs the object's desk (Bina Marga); head2: the chair of
  another desk (Sumber Daya Air), for whom the object is out of scope.
- delegate: a delegate of the object's region (Pangkalpinang); delegate2: of another
  region (Bangka).
- An inactive account is answered as the anonymous visitor (checked for every page).

A single status stands for every role. 302 is a redirect (to log in for `anon`, or
after a change), 405 "method not allowed": read-only pages answer it to a POST.
Each request runs in a savepoint that is rolled back, so one role's POST never
changes what the next role sees.

The rules themselves are `RULES` in rakortek/core/access.py: this table is what they
mean page by page. A new URL pattern fails `test_every_url_pattern_has_an_expectation`
with the line to add here.
"""

import copy
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings.attendance.views_checkin import participant_token
from rakortek.accounts.models import Role
from tests.conftest import minimal_pdf
from tests.factories import AgendaItemFactory, ParticipantFactory, UserFactory, field, region

pytestmark = pytest.mark.django_db

ROLES = ("anon", "secretariat", "head", "head2", "delegate", "delegate2", "observer")


@dataclass(frozen=True)
class E:
    """What one URL name answers: the object it is asked for, then the statuses of a
    GET and of a POST for each role of ROLES (one status: the same for all)."""

    obj: str
    get: str
    post: str


# ---- The expectations: one line per URL name ----
# fmt: off
EXPECTED = {
    # Home, logging in and Django's account pages (home, password change: logged in)
    "home":                                   E("none",              "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    # The health probe is public and names only what is failing (no task worker runs in tests: 503)
    "healthz":                                E("none",              "503",                          "405"),
    "login":                                  E("none",              "200 302 302 302 302 302 302",  "200 302 302 302 302 302 302"),
    "logout":                                 E("none",              "405",                          "302"),
    "password_change":                        E("none",              "302 200 200 200 200 200 200",  "302 200 200 200 200 200 200"),
    "password_change_done":                   E("none",              "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "password_reset":                         E("none",              "200",                          "200"),
    "password_reset_complete":                E("none",              "200",                          "405"),
    "password_reset_confirm":                 E("reset",             "200",                          "200"),
    "password_reset_done":                    E("none",              "200",                          "405"),
    "set_language":                           E("none",              "302",                          "302"),
    # Accounts: the secretariat manages them; an invitation link is public
    "accounts:invitation_accept":             E("invitation",        "404",                          "404"),
    "accounts:invitation_resend":             E("user",              "302 405 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "accounts:user_create":                   E("none",              "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "accounts:user_deactivate":               E("user",              "302 405 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "accounts:user_detail":                   E("user",              "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "accounts:user_list":                     E("none",              "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "accounts:user_reactivate":               E("user",              "302 405 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "accounts:user_update":                   E("user",              "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    # Meeting set-up, attendance, signers: the secretariat; the self check-in is public
    "meetings:agenda_create":                 E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:agenda_delete":                 E("agenda_item",       "302 200 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "meetings:agenda_update":                 E("agenda_item",       "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:attendance":                    E("meeting",           "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "meetings:attendance_import":             E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:attendance_import_confirm":     E("meeting",           "302 405 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "meetings:attendance_import_template":    E("meeting",           "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "meetings:attendance_screen":             E("meeting",           "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "meetings:checkin":                       E("checkin",           "200",                          "405"),
    "meetings:checkin_code_rotate":           E("meeting",           "302 405 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "meetings:checkin_register":              E("checkin",           "200",                          "200"),
    "meetings:checkin_sign":                  E("checkin_participant", "200",                          "200"),
    "meetings:create":                        E("none",              "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:criteria":                      E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:desk_create":                   E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:desk_delete":                   E("meeting_desk",      "302 200 403 403 403 403 403",  "302 409 403 403 403 403 403"),
    "meetings:desk_update":                   E("meeting_desk",      "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:detail":                        E("meeting",           "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "meetings:field_create":                  E("none",              "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:field_delete":                  E("field",             "302 200 403 403 403 403 403",  "302 409 403 403 403 403 403"),
    "meetings:field_list":                    E("none",              "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "meetings:field_update":                  E("field",             "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:list":                          E("none",              "302 200 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "meetings:next_year":                     E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:participant_check_in":          E("participant",       "302 405 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:participant_check_in_undo":     E("participant",       "302 405 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:participant_create":            E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:participant_delete":            E("participant",       "302 200 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "meetings:participant_signature":         E("participant",       "302 404 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "meetings:participant_signature_replace": E("participant",       "302 405 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:participant_update":            E("participant",       "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:signers":                       E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "meetings:update":                        E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    # The region is a query parameter (?region=): without it, 404; the rule for each region
    # ("areas" in RULES) is tested in tests/issues/submission/test_locations.py
    "meetings:area_districts":                E("none",              "302 404 404 404 404 404 404",  "302 405 405 405 405 405 405"),
    "meetings:area_villages":                 E("none",              "302 404 404 404 404 404 404",  "302 405 405 405 405 405 405"),
    "meetings:activate":                      E("meeting",           "302 405 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    # Minutes (rules "minutes.*"); the object is Bina Marga's draft minutes: the chair and the
    # secretariat only; final minutes are read by every account of the meeting
    "meetings:minutes_detail":                E("minutes",           "302 200 200 404 404 404 404",  "302 405 405 405 405 405 405"),
    "meetings:minutes_edit":                  E("minutes",           "302 200 200 404 404 404 404",  "302 200 200 404 404 404 404"),
    "meetings:minutes_index":                 E("meeting",           "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "meetings:minutes_reopen":                E("minutes",           "302 302 403 404 404 404 404",  "302 302 403 404 404 404 404"),
    "meetings:minutes_version":               E("minutes_version",   "302 404 404 404 404 404 404",  "302 405 405 405 405 405 405"),
    # Issues (rule "issue"); the object is a Pangkalpinang issue on the Bina Marga desk
    "issues:attachment_delete":               E("attachment",        "302 200 403 404 403 404 403",  "302 302 403 404 403 404 403"),
    "issues:attachment_download":             E("attachment",        "302 200 200 404 200 404 200",  "302 405 405 405 405 405 405"),
    "issues:attachment_thumbnail":            E("attachment",        "302 404 404 404 404 404 404",  "302 405 405 405 405 405 405"),
    "issues:attachment_upload":               E("issue",             "302 200 403 404 403 404 403",  "302 200 403 404 403 404 403"),
    "issues:carry_list":                      E("meeting",           "302 200 403 403 200 200 403",  "302 405 403 403 405 405 403"),
    "issues:carry_over":                      E("carry",             "302 405 403 403 405 405 403",  "302 302 403 403 302 404 403"),
    "issues:comment":                         E("issue",             "405",                          "302 302 302 404 302 404 403"),
    "issues:create":                          E("meeting",           "302 200 403 403 200 302 403",  "302 200 403 403 200 302 403"),
    "issues:desk_issues":                     E("desk_issues",       "302 200 200 404 403 403 200",  "302 405 405 405 403 403 405"),
    "issues:detail":                          E("issue",             "302 200 200 404 200 404 200",  "302 405 405 405 405 405 405"),
    "issues:edit":                            E("issue",             "302 302 403 404 302 404 403",  "302 302 403 404 302 404 403"),
    "issues:import":                          E("meeting",           "302 200 403 403 200 200 403",  "302 200 403 403 200 200 403"),
    "issues:import_confirm":                  E("meeting",           "302 405 403 403 405 405 403",  "302 302 403 403 302 302 403"),
    "issues:import_template":                 E("meeting",           "302 200 403 403 200 200 403",  "302 405 403 403 405 405 403"),
    "issues:meeting_issues":                  E("meeting",           "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "issues:move":                            E("issue",             "405",                          "302 302 403 404 302 404 403"),
    "issues:region_window_delete":            E("region_window",     "405",                          "302 302 403 403 403 403 403"),
    "issues:region_windows":                  E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:return":                          E("issue",             "302 200 200 404 403 404 403",  "302 200 200 404 403 404 403"),
    "issues:submit":                          E("issue",             "405",                          "302 302 403 404 302 404 403"),
    "issues:verify":                          E("issue",             "405",                          "302 302 302 404 403 404 403"),
    "issues:withdraw":                        E("issue",             "302 200 403 404 200 404 403",  "302 200 403 404 200 404 403"),
    # The desk board, duplicates, merges (rule "board"): chair and secretariat work, observers read
    "issues:board":                           E("desk",              "302 200 200 404 404 404 200",  "302 405 405 405 405 405 405"),
    "issues:board_apply_proposed":            E("desk",              "405",                          "302 302 302 404 404 404 403"),
    "issues:board_decide":                    E("board_issue",       "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    "issues:board_issue":                     E("board_issue",       "302 200 200 404 404 404 200",  "302 405 405 405 405 405 405"),
    "issues:board_lock":                      E("desk",              "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    "issues:board_rank":                      E("board_issue",       "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    "issues:board_return":                    E("board_issue",       "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    "issues:board_score":                     E("board_issue",       "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    "issues:board_unlock":                    E("desk",              "302 200 403 404 404 404 403",  "302 200 403 404 404 404 403"),
    # Asking the regions to assent to the desk's decisions is a board write
    "issues:board_assent_open":               E("desk",              "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    # The regions' assent (rule "assent"): the region's delegates answer; the desk and the
    # secretariat read; the list shows each account what it reaches
    "issues:assent_list":                     E("none",              "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "issues:assent_answer":                   E("assent_item",       "302 200 200 404 200 404 404",  "302 403 403 404 200 404 404"),
    "issues:board_verify":                    E("board_issue",       "405",                          "302 302 302 404 404 404 403"),
    "issues:duplicates":                      E("desk",              "302 200 200 404 404 404 200",  "302 405 405 405 405 405 405"),
    "issues:merge":                           E("desk",              "302 200 200 404 404 404 403",  "302 200 200 404 404 404 403"),
    "issues:unmerge":                         E("issue",             "302 404 404 404 404 404 403",  "302 404 404 404 404 404 403"),
    # The live board (rule "live_board"): every account of the meeting, read only
    "issues:live_board":                      E("desk",              "302 200 200 200 200 200 200",  "405"),
    "issues:live_rows":                       E("desk",              "302 200 200 200 200 200 200",  "405"),
    # Agreement points (rule "points"): chair and secretariat write, observers read
    "issues:meeting_points":                  E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:point_create":                    E("desk",              "302 302 302 404 404 404 403",  "302 302 302 404 404 404 403"),
    "issues:point_delete":                    E("point",             "302 302 302 404 404 404 403",  "302 302 302 404 404 404 403"),
    "issues:point_edit":                      E("point",             "302 302 302 404 404 404 403",  "302 302 302 404 404 404 403"),
    "issues:point_move":                      E("point",             "302 405 405 405 405 405 405",  "302 302 302 404 404 404 403"),
    "issues:points":                          E("desk",              "302 200 200 404 404 404 200",  "302 405 405 405 405 405 405"),
    "issues:points_draft":                    E("desk",              "302 405 405 405 405 405 405",  "302 302 302 404 404 404 403"),
    # Follow-up (rule "followup"): every account reads; the field's desk heads and the point's
    # regions' delegates report
    "issues:followup":                        E("none",              "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "issues:followup_evidence":               E("evidence",          "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "issues:followup_evidence_thumbnail":     E("evidence",          "302 404 404 404 404 404 404",  "302 405 405 405 405 405 405"),
    "issues:followup_point":                  E("followup_point",    "302 200 200 200 200 200 200",  "302 200 200 403 200 403 403"),
    "issues:followup_remind":                 E("none",              "302 405 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "issues:followup_target":                 E("followup_point",    "302 200 200 403 403 403 403",  "302 200 200 403 403 403 403"),
    # The RAKORGUB package (rule "package"): every account reads, the secretariat writes
    "issues:package":                         E("meeting",           "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "issues:package_forward":                 E("meeting",           "302 302 403 403 403 403 403",  "302 302 403 403 403 403 403"),
    "issues:package_point_amend":             E("package_point",     "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:package_point_drop":              E("package_point",     "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:package_point_restore":           E("package_point",     "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:package_reopen":                  E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:package_scan":                    E("package",           "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "issues:package_scan_upload":             E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:package_sign":                    E("meeting",           "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "issues:package_rakorgub_create":         E("meeting",           "302 405 405 405 405 405 405",  "302 302 403 403 403 403 403"),
    "issues:package_signatory":               E("signatory",         "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    # Official documents (rules "document.*"): finals to every account, drafts to the secretariat
    # and the desk's chair; the verification page is public
    # The map and charts: the secretariat and observers
    "figures:meeting":                        E("meeting",           "302 200 403 403 403 403 200",  "405"),
    "figures:summary":                        E("meeting",           "302 200 403 403 403 403 200",  "405"),
    "documents:download":                     E("document",          "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "documents:draft+field_slug+key+slug":    E("document_desk_key", "302 200 200 403 403 403 403",  "302 405 405 405 405 405 405"),
    "documents:draft+key+slug":               E("document_key",      "302 200 403 403 403 403 403",  "302 405 405 405 405 405 405"),
    "documents:draft_job":                    E("draft_job",         "302 404 200 404 404 404 404",  "302 405 405 405 405 405 405"),
    "documents:draft_job_download":           E("draft_job",         "302 404 302 404 404 404 404",  "302 405 405 405 405 405 405"),
    "documents:finalise+field_slug+key+slug": E("document_desk_key", "302 405 405 405 405 405 405",  "302 302 403 403 403 403 403"),
    "documents:finalise+key+slug":            E("document_key",      "302 405 405 405 405 405 405",  "302 302 403 403 403 403 403"),
    "documents:finalise_all":                 E("meeting",           "302 405 405 405 405 405 405",  "302 302 403 403 403 403 403"),
    "documents:job":                          E("render_job",        "302 200 403 403 403 403 403",  "302 405 405 405 405 405 405"),
    "documents:meeting":                      E("meeting",           "302 200 200 200 200 200 200",  "302 405 405 405 405 405 405"),
    "documents:office_emblem":                E("none",              "302 404 403 403 403 403 403",  "302 405 403 403 403 403 403"),
    "documents:office_profile":               E("none",              "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "documents:reopen":                       E("document",          "302 200 403 403 403 403 403",  "302 200 403 403 403 403 403"),
    "documents:verify":                       E("document_code",     "200",                          "200"),
    "documents:zip":                          E("meeting",           "302 200 403 403 403 403 403",  "302 405 405 405 405 405 405"),
}
# fmt: on

# Every page of the Django admin: staff only (secretariat accounts are not staff); its
# log-in page is public.
ADMIN = E("admin", "302", "302")
ADMIN_LOGIN = E("admin", "200", "200")


# ---- The world every page is asked about ----


@dataclass
class World:
    users: dict
    meeting: object
    desk: object
    issue: object
    attachment: object
    agenda_item: object
    participant: object
    region_window: object
    point: object
    package: object
    package_point: object
    signatory: object
    evidence: object
    document: object
    render_job: object
    draft_job: object
    other_user: object
    assent_item: object


@pytest.fixture(autouse=True)
def _checkin_open(settings):
    """Self check-in answers whatever the test meeting's dates (its window is tested in
    tests/meetings/attendance/test_attendance_checkin.py): this table is about who may open it."""
    settings.CHECKIN_OPENS_DAYS_BEFORE = 100_000
    settings.CHECKIN_CLOSES_DAYS_AFTER = 100_000


@pytest.fixture
def world(
    signed_package,
    secretariat,
    kabid_bina_marga,
    kabid_sda,
    delegate_pangkalpinang,
    delegate_bangka,
    observer,
    media,
):
    from issues.followup.services import followup_record
    from issues.models import AgreementPoint, Attachment, FollowUpEvidence, Issue, RegionWindow
    from meetings.models import Minutes
    from rakortek.documents.models import DraftJob, FinalDocument, RenderJob

    meeting = signed_package.meeting
    desk = meeting.desks.get(field__slug="bina-marga")
    issue = Issue.objects.get(desk=desk, region__slug="pangkalpinang")
    attachment = Attachment.objects.create(
        issue=issue,
        kind="dokumen",
        file=ContentFile(minimal_pdf(), name="lampiran.pdf"),
        original_name="lampiran.pdf",
        content_type="application/pdf",
        size=len(minimal_pdf()),
        sha256="b" * 64,
        uploaded_by=secretariat,
    )
    package_point = signed_package.points.get(number=1)
    report = followup_record(
        actor=secretariat,
        point=package_point,
        status="dalam_proses",
        progress=10,
        reported_on=timezone.localdate(),
        note="Survei lokasi.",
    )
    evidence = FollowUpEvidence.objects.create(
        update=report,
        kind="dokumen",
        file=ContentFile(minimal_pdf(), name="bukti.pdf"),
        original_name="bukti.pdf",
        content_type="application/pdf",
        size=len(minimal_pdf()),
        sha256="c" * 64,
    )
    document = FinalDocument.objects.get(meeting=meeting)
    document.file.save("butir.pdf", ContentFile(minimal_pdf()), save=True)
    Minutes.objects.create(meeting=meeting, desk=desk)
    users = {
        "secretariat": secretariat,
        "head": kabid_bina_marga,
        "head2": kabid_sda,
        "delegate": delegate_pangkalpinang,
        "delegate2": delegate_bangka,
        "observer": observer,
        "inactive": UserFactory(username="nonaktif", role=Role.SECRETARIAT, is_active=False),
    }
    return World(
        users=users,
        meeting=meeting,
        desk=desk,
        issue=issue,
        attachment=attachment,
        agenda_item=AgendaItemFactory(meeting=meeting),
        participant=ParticipantFactory(meeting=meeting, desk=desk),
        region_window=RegionWindow.objects.create(
            meeting=meeting,
            region=region("pangkalpinang"),
            closes_at=meeting.starts_at + timedelta(days=60),
            reason="Susulan",
            created_by=secretariat,
        ),
        point=AgreementPoint.objects.filter(desk=desk).order_by("order").first(),
        package=signed_package,
        package_point=package_point,
        signatory=signed_package.signatories.first(),
        evidence=evidence,
        document=document,
        # The chair's own draft of their desk's list, and the secretariat's rendering of it.
        render_job=RenderJob.objects.create(meeting=meeting, desk=desk, kind="prioritas"),
        draft_job=DraftJob.objects.create(
            meeting=meeting, desk=desk, kind="prioritas", requested_by=kabid_bina_marga
        ),
        other_user=delegate_pangkalpinang,
        assent_item=_assent_item(issue, kabid_bina_marga),
    )


def _assent_item(issue, head):
    """The desk asks Pangkalpinang to assent to the decision on its issue until tomorrow."""
    from issues.models import AssentItem, AssentRound

    assent_round = AssentRound.objects.create(
        desk=issue.desk, number=1, deadline=timezone.now() + timedelta(days=1), opened_by=head
    )
    return AssentItem.objects.create(
        round=assent_round,
        issue=issue,
        region=issue.region,
        decision=issue.decision or "prioritas",
        wording="Disepakati.",
    )


# The address of each kind of object: URL keyword -> value, from the world.
OBJECTS = {
    "none": lambda w: {},
    "admin": lambda w: {
        "object_id": "1",
        "id": "1",
        "content_type_id": "1",
        "app_label": "issues",
        "url": "x",
    },
    "reset": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "user": lambda w: {"pk": w.other_user.pk},
    "invitation": lambda w: {"token": "no-such-invitation"},
    "meeting": lambda w: {"slug": w.meeting.slug},
    "agenda_item": lambda w: {"slug": w.meeting.slug, "pk": w.agenda_item.pk},
    "meeting_desk": lambda w: {"slug": w.meeting.slug, "pk": w.desk.pk},
    "field": lambda w: {"pk": field("bina-marga").pk},
    "participant": lambda w: {"slug": w.meeting.slug, "pk": w.participant.pk},
    "checkin": lambda w: {"code": w.meeting.checkin_code},
    "checkin_participant": lambda w: {
        "code": w.meeting.checkin_code,
        "token": participant_token(w.participant),
    },
    "minutes": lambda w: {"slug": w.meeting.slug, "scope": "bina-marga"},
    "minutes_version": lambda w: {"slug": w.meeting.slug, "scope": "bina-marga", "version": 1},
    "desk_issues": lambda w: {"slug": w.meeting.slug, "field_slug": "bina-marga"},
    "region_window": lambda w: {"slug": w.meeting.slug, "pk": w.region_window.pk},
    "carry": lambda w: {"slug": w.meeting.slug, "pk": w.issue.pk},
    "issue": lambda w: {"pk": w.issue.pk},
    "attachment": lambda w: {"pk": w.issue.pk, "attachment_pk": w.attachment.pk},
    "desk": lambda w: {"desk_id": w.desk.pk},
    "board_issue": lambda w: {"desk_id": w.desk.pk, "pk": w.issue.pk},
    "point": lambda w: {"desk_id": w.desk.pk, "pk": w.point.pk},
    "followup_point": lambda w: {"pk": w.package_point.pk},
    "evidence": lambda w: {"pk": w.evidence.pk},
    "package_point": lambda w: {"slug": w.meeting.slug, "pk": w.package_point.pk},
    "signatory": lambda w: {"slug": w.meeting.slug, "pk": w.signatory.pk},
    "package": lambda w: {"pk": w.package.pk},
    "document_code": lambda w: {"code": w.document.verification_code},
    "document_key": lambda w: {"slug": w.meeting.slug, "key": "rekapitulasi"},
    "document_desk_key": lambda w: {
        "slug": w.meeting.slug,
        "key": "prioritas",
        "field_slug": "bina-marga",
    },
    "document": lambda w: {"pk": w.document.pk},
    "render_job": lambda w: {"pk": w.render_job.pk},
    "draft_job": lambda w: {"pk": w.draft_job.pk},
    "assent_item": lambda w: {"pk": w.assent_item.pk},
}


# ---- Reading the resolver ----


def url_patterns(resolver=None, namespace=""):
    """(key, pattern) for every URL pattern: the key is "namespace:name", and for a
    name with more than one pattern the keywords follow after a "+"."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else ""
            yield from url_patterns(entry, inner or entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def pattern_keys():
    seen = {}
    for namespace, pattern in url_patterns():
        if namespace == "admin":
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        seen.setdefault(name, []).append(pattern)
    keys = {}
    for name, patterns in seen.items():
        for pattern in patterns:
            words = sorted(pattern.pattern.regex.groupindex)
            key = name if len(patterns) == 1 else f"{name}+{'+'.join(words)}"
            keys[key] = (name, pattern)
    return keys


def admin_patterns():
    return [pattern for namespace, pattern in url_patterns() if namespace == "admin"]


def statuses(text: str) -> dict:
    values = text.split()
    if len(values) == 1:
        values = values * len(ROLES)
    assert len(values) == len(ROLES), text
    return dict(zip(ROLES, (int(v) for v in values), strict=True))


def _address(name, pattern, world, obj):
    values = OBJECTS[obj](world)
    words = pattern.pattern.regex.groupindex
    kwargs = {word: values[word] for word in words}
    if name is None:
        # Unnamed admin patterns (redirects): build the path from the route itself.
        route = str(pattern.pattern)
        for word in words:
            route = re.sub(rf"<(\w+:)?{word}>", str(values[word]), route)
        return "/admin/" + route
    return reverse(name, kwargs=kwargs)


def _answer(client, method, address):
    cookies = copy.deepcopy(client.cookies)  # a log-out must not last either
    with transaction.atomic():
        response = getattr(client, method)(address)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code


def _clients(world):
    clients = {"anon": Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _observe(world, clients, address):
    observed = {}
    for method in ("get", "post"):
        observed[method] = {role: _answer(clients[role], method, address) for role in ROLES}
        observed[method]["inactive"] = _answer(clients["inactive"], method, address)
    return observed


def _as_text(answers: dict) -> str:
    values = [str(answers[role]) for role in ROLES]
    return values[0] if len(set(values)) == 1 else " ".join(values)


def _line(key, obj, observed):
    get, post = _as_text(observed["get"]), _as_text(observed["post"])
    return f'    "{key}": E("{obj}", "{get}", "{post}"),'


# ---- The tests ----


def test_every_url_pattern_has_an_expectation():
    missing = sorted(set(pattern_keys()) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(pattern_keys()))
    assert not missing, (
        "These URL patterns have no access expectation. Add one line each to EXPECTED in "
        "tests/test_url_roles.py: the object the page is asked for (a key of OBJECTS) and "
        "what a GET and a POST answer to each role (anon secretariat head head2 delegate "
        "delegate2 observer), following RULES in rakortek/core/access.py:\n"
        + "\n".join(
            f'    "{key}": E("<object>", "<GET statuses>", "<POST statuses>"),' for key in missing
        )
    )
    assert not stale, f"EXPECTED names URL patterns that no longer exist: {stale}"


NAMESPACES = sorted({key.split(":")[0] if ":" in key else "" for key in EXPECTED})


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_page_answers_every_role_as_the_rules_say(namespace, world):
    """GET and POST of every URL of `namespace`, as every role (see the module's doc)."""
    clients = _clients(world)
    wrong = []
    for key, (name, pattern) in sorted(pattern_keys().items()):
        if (key.split(":")[0] if ":" in key else "") != namespace or key not in EXPECTED:
            continue
        expected = EXPECTED[key]
        address = _address(name, pattern, world, expected.obj)
        observed = _observe(world, clients, address)
        for method in ("get", "post"):
            want = statuses(getattr(expected, method))
            got = observed[method]
            differs = [r for r in ROLES if got[r] != want[r]]
            if got["inactive"] != got["anon"]:
                differs.append("inactive")
            if differs:
                wrong.append(
                    f"{method.upper()} {address} ({', '.join(differs)}): observed\n"
                    + _line(key, expected.obj, observed)
                )
    assert not wrong, "Pages that answer otherwise than EXPECTED says:\n" + "\n".join(wrong)


def test_every_admin_page_is_for_staff_only(world):
    clients = _clients(world)
    wrong = []
    for pattern in admin_patterns():
        name = f"admin:{pattern.name}" if pattern.name else None
        address = _address(name, pattern, world, ADMIN.obj)
        observed = _observe(world, clients, address)
        expected = ADMIN_LOGIN if pattern.name == "login" else ADMIN
        for method in ("get", "post"):
            want = statuses(getattr(expected, method))
            if any(observed[method][r] != want[r] for r in ROLES):
                wrong.append(f"{method.upper()} {address}: {_as_text(observed[method])}")
    assert not wrong, "Admin pages that answer someone who is not staff:\n" + "\n".join(wrong)
