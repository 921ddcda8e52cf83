import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Criterion
from tests.factories import CriterionFactory, MeetingFactory

pytestmark = pytest.mark.django_db
PREFIX = "criteria"


@pytest.fixture
def criteria(meeting):
    return [
        CriterionFactory(meeting=meeting, name="Kemendesakan", weight=60, order=1),
        CriterionFactory(meeting=meeting, name="Dampak", weight=40, order=2),
    ]


def formset_data(rows, *, initial):
    """POST data for the criteria formset; each row a dict, `initial` how many already exist."""
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{PREFIX}-INITIAL_FORMS": str(initial),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        row = {"description": "", "order": str(i + 1), **row}
        for key, value in row.items():
            data[f"{PREFIX}-{i}-{key}"] = "on" if value is True else str(value)
    return data


def existing(criteria, weights):
    return [
        {"id": c.pk, "meeting": c.meeting_id, "name": c.name, "weight": w}
        for c, w in zip(criteria, weights, strict=True)
    ]


def post(client, meeting, data):
    return client.post(reverse("meetings:criteria", args=[meeting.slug]), data)


def stored(meeting):
    return list(meeting.criteria.values_list("name", "weight"))


def test_the_page_shows_every_criterion_and_a_blank_row(as_secretariat, meeting, criteria):
    formset = as_secretariat.get(reverse("meetings:criteria", args=[meeting.slug])).context[
        "formset"
    ]
    assert len(formset.forms) == 3
    assert [f.instance for f in formset.initial_forms] == criteria


def test_weights_adding_up_to_100_are_saved(as_secretariat, meeting, criteria):
    response = post(as_secretariat, meeting, formset_data(existing(criteria, [70, 30]), initial=2))
    assert response.status_code == 302
    assert response["Location"].endswith("#criteria")
    assert stored(meeting) == [("Kemendesakan", 70), ("Dampak", 30)]


def test_a_wrong_sum_is_a_form_error_showing_the_sum_and_saves_nothing(
    as_secretariat, meeting, criteria
):
    response = post(as_secretariat, meeting, formset_data(existing(criteria, [70, 40]), initial=2))
    assert response.status_code == 200
    formset = response.context["formset"]
    [error] = formset.non_form_errors().as_data()
    assert error.code == "weight_total"
    assert error.params["total"] == 110
    assert "110" in response.text
    assert formset.forms[1]["weight"].value() == "40"
    assert stored(meeting) == [("Kemendesakan", 60), ("Dampak", 40)]


def test_criteria_are_added_and_removed_in_one_save(as_secretariat, meeting, criteria):
    rows = existing(criteria, [50, 40])
    rows[1]["DELETE"] = True
    rows.append({"name": "Kesiapan", "weight": 50, "level_1": "Belum siap", "level_5": "Siap"})
    response = post(as_secretariat, meeting, formset_data(rows, initial=2))
    assert response.status_code == 302
    assert stored(meeting) == [("Kemendesakan", 50), ("Kesiapan", 50)]
    assert meeting.criteria.get(name="Kesiapan").level_labels == ["Belum siap", "", "", "", "Siap"]


def test_a_removed_criterion_does_not_count_towards_the_sum(as_secretariat, meeting, criteria):
    rows = existing(criteria, [60, 40])
    rows[1]["DELETE"] = True
    response = post(as_secretariat, meeting, formset_data(rows, initial=2))
    assert response.context["formset"].non_form_errors().as_data()[0].params["total"] == 60
    assert meeting.criteria.count() == 2


def test_a_blank_extra_row_is_ignored(as_secretariat, meeting, criteria):
    rows = [*existing(criteria, [60, 40]), {"name": "", "weight": "", "order": "3"}]
    response = post(as_secretariat, meeting, formset_data(rows, initial=2))
    assert response.status_code == 302
    assert meeting.criteria.count() == 2


def test_level_labels_are_edited(as_secretariat, meeting, criteria):
    rows = existing(criteria, [60, 40])
    rows[0].update({f"level_{n}": f"Tingkat {n}" for n in range(1, 6)})
    post(as_secretariat, meeting, formset_data(rows, initial=2))
    criteria[0].refresh_from_db()
    assert criteria[0].level_labels == [f"Tingkat {n}" for n in range(1, 6)]


def test_two_criteria_with_the_same_name_are_refused(as_secretariat, meeting, criteria):
    rows = [*existing(criteria, [60, 20]), {"name": "dampak", "weight": 20}]
    response = post(as_secretariat, meeting, formset_data(rows, initial=2))
    assert response.status_code == 200
    assert not response.context["formset"].is_valid()
    assert meeting.criteria.count() == 2


def test_a_name_freed_by_a_removed_criterion_can_be_reused(as_secretariat, meeting, criteria):
    rows = existing(criteria, [60, 40])
    rows[0]["DELETE"] = True
    rows.append({"name": "Kemendesakan", "weight": 60})
    response = post(as_secretariat, meeting, formset_data(rows, initial=2))
    assert response.status_code == 302
    assert sorted(stored(meeting)) == [("Dampak", 40), ("Kemendesakan", 60)]


@pytest.mark.parametrize("weight", ["0", "101", "", "abc"])
def test_a_weight_outside_1_to_100_is_refused_on_its_row(as_secretariat, meeting, criteria, weight):
    rows = existing(criteria, [60, 40])
    rows[1]["weight"] = weight
    response = post(as_secretariat, meeting, formset_data(rows, initial=2))
    assert "weight" in response.context["formset"].forms[1].errors
    assert stored(meeting) == [("Kemendesakan", 60), ("Dampak", 40)]


def test_a_criterion_of_another_meeting_cannot_be_edited_through_this_one(
    as_secretariat, meeting, criteria
):
    foreign = CriterionFactory(meeting=MeetingFactory(), name="Asing", weight=100)
    rows = [{"id": foreign.pk, "name": "Diambil alih", "weight": 100}]
    post(as_secretariat, meeting, formset_data(rows, initial=1))
    foreign.refresh_from_db()
    assert foreign.name == "Asing"


def test_criteria_update_service_refuses_a_set_not_adding_up_to_100(meeting, criteria):
    criteria[0].weight = 10
    with pytest.raises(services.CriteriaWeightError) as refused:
        services.criteria_update(meeting=meeting, keep=criteria, remove=[])
    assert refused.value.total == 50
    assert stored(meeting) == [("Kemendesakan", 60), ("Dampak", 40)]


def test_criteria_update_service_checks_the_set_left_in_the_database(meeting, criteria):
    # Another editor added a criterion this form never showed: the total would be 120.
    CriterionFactory(meeting=meeting, name="Kesiapan", weight=20)
    with pytest.raises(services.CriteriaWeightError) as refused:
        services.criteria_update(meeting=meeting, keep=criteria, remove=[])
    assert refused.value.total == 120


def test_criteria_update_service_refuses_a_criterion_of_another_meeting(meeting, criteria):
    foreign = CriterionFactory(meeting=MeetingFactory(), weight=100)
    with pytest.raises(ValueError):
        services.criteria_update(meeting=meeting, keep=[foreign], remove=criteria)
    assert Criterion.objects.count() == 3
