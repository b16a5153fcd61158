"""What the accessibility pass changed on the meeting pages."""

from django.urls import reverse


def test_filter_button_says_filtrer_not_the_admins_noun(client, adviser, meeting):
    client.cookies["django_language"] = "nb"
    client.force_login(adviser)
    for url in (reverse("meetings:index"), reverse("meetings:calendar", kwargs={"year": 2030, "month": 2})):
        page = client.get(url).content.decode()
        assert ">Filtrer</button>" in page, url
        assert "Filtrering" not in page, url


def test_each_participant_status_is_a_labelled_select_in_a_captioned_table(client, adviser, meeting):
    client.force_login(adviser)
    page = client.get(meeting.get_absolute_url()).content.decode()
    participants = list(meeting.participants.all())
    assert participants
    assert '<table class="table table-sm participants caption-top">' in page
    for participant in participants:
        assert f'<label class="visually-hidden" for="status-{participant.pk}">' in page
        assert f'<select id="status-{participant.pk}" name="status"' in page
