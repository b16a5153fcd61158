"""The PDF, the diff between versions and safe Markdown."""

import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from partnerships import services
from partnerships.pdf import _static_path
from partnerships.rendering import diff_rows, render_markdown

from .factories import adopted_agreement, adopted_general_part, an_adviser


def test_pdf_contains_region_name_first_priority_and_adoption_record(client, adviser, region):
    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    client.force_login(adviser)
    response = client.get(reverse("partnerships:agreement-pdf", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Indre Østfold" in text
    assert "Grønn næringsutvikling" in text
    assert "FT-sak 40/21" in text  # the adoption record
    assert len(reader.pages) >= 2
    assert f"1 / {len(reader.pages)}" in text  # page numbers


def test_pdf_fetcher_reads_only_local_static_files():
    assert _static_path("file:///static/css/partnerships_pdf.css")
    assert _static_path("https://example.com/font.woff") is None
    assert _static_path("file:///etc/passwd") is None
    assert _static_path("file:///static/../../etc/passwd") is None


def test_diff_marks_insertions_and_deletions_for_a_known_pair():
    old = ["Satsinger", "1. Grønn næringsutvikling", "2. Bedre kollektivtilbud"]
    new = ["Satsinger", "1. Grønn næringsutvikling", "2. Bedre busstilbud", "3. Reiseliv <i>nå</i>"]
    rows = diff_rows(old, new)
    assert [row["kind"] for row in rows] == ["equal", "equal", "change", "insert"]
    assert str(rows[2]["html"]) == (
        '2. Bedre <del class="diff-del">kollektivtilbud</del><ins class="diff-ins">busstilbud</ins>'
    )
    # Text is escaped, never markup.
    assert str(rows[3]["html"]) == '<ins class="diff-ins">3. Reiseliv &lt;i&gt;nå&lt;/i&gt;</ins>'
    assert diff_rows(["bort"], [])[0] == {"kind": "delete", "html": '<del class="diff-del">bort</del>'}


def test_version_history_shows_the_diff_between_two_special_part_versions(client, adviser, region):
    adopted_general_part(region.host_county)
    first = adopted_agreement(region)
    second = services.agreement_create(county=region.host_county, region=region, actor=adviser, changelog="Nytt")
    services.special_part_update(
        actor=an_adviser(),
        special_part=second.special_part,
        title=second.special_part.title,
        introduction="Regionen har sterke fagmiljøer.",
        changelog="Nytt",
        strengths=["Nærhet til Oslo"],
        challenges=["Lav sysselsetting"],
        priorities=["Grønn næringsutvikling", "Bedre busstilbud"],
    )
    client.force_login(adviser)
    url = reverse("partnerships:special-part-history", args=[second.special_part_id])
    response = client.get(url, {"old": first.special_part_id, "new": second.special_part_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<del class="diff-del">kollektivtilbud</del><ins class="diff-ins">busstilbud</ins>' in html


def test_version_history_with_bad_versions_is_a_form_error_not_a_500(client, adviser, region):
    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    client.force_login(adviser)
    url = reverse("partnerships:special-part-history", args=[agreement.special_part_id])
    for params in ({"old": "abc", "new": "1"}, {"old": "999999", "new": "1"}):
        assert client.get(url, params).status_code == 400


def test_markdown_is_rendered_and_script_is_inert():
    html = str(render_markdown("# Tittel\n\n**fet** <script>alert(1)</script> [lenke](javascript:alert(1))"))
    assert "<h4>Tittel</h4>" in html
    assert "<strong>fet</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_agreement_page_is_one_document_general_part_then_special_part(client, adviser, region):
    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    client.force_login(adviser)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert html.index("Formål") < html.index("Grønn næringsutvikling")
    assert "<strong>regional utvikling</strong>" in html
    assert "css/partnerships.css" in html


def test_demo_is_marked_as_example_and_idempotent(region):
    import io as _io

    from partnerships.demo import load_demo
    from partnerships.models import Agreement, GeneralPart, SpecialPart

    an_adviser()  # setup_demo creates its users before each app's demo content, an adviser among them
    load_demo(stdout=_io.StringIO())
    load_demo(stdout=_io.StringIO())
    assert GeneralPart.objects.count() == 1
    assert SpecialPart.objects.count() == 1
    agreement = Agreement.objects.get()
    # The demo's county is Viken, so its agreement ended with Viken on 2024-01-01 and is history.
    assert agreement.status == Agreement.Status.TERMINATED
    assert agreement.valid_to == datetime.date(2024, 1, 1)
    assert "Eksempeltekst laget for demoen" in agreement.special_part.introduction
    assert "EKSEMPEL" in agreement.general_part.title


def test_demo_skips_quietly_without_the_region(db):
    import io as _io

    from partnerships.demo import load_demo
    from partnerships.models import GeneralPart

    load_demo(stdout=_io.StringIO())
    assert not GeneralPart.objects.exists()


def test_agreement_page_lists_cases_per_priority_across_versions(client, adviser, region):
    from tests.cases.factories import CaseFactory

    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    first_priority = agreement.special_part.priorities.first()
    case = CaseFactory(title="Sak om grønn næring", origin_region=region)
    case.priorities.add(first_priority)
    renewal = services.agreement_create(county=region.host_county, region=region, actor=adviser)
    client.force_login(adviser)
    for shown in (agreement, renewal):
        response = client.get(shown.get_absolute_url())
        lists = response.context["priority_cases"]
        assert lists[0][1] == [case]
        assert lists[1][1] == []
        assert "Sak om grønn næring" in response.content.decode()


def test_agreement_page_lists_per_priority_the_newest_cases_the_reader_may_see(client, leader, region, other_region):
    import datetime

    from cases.models import Case
    from tests.cases.factories import CaseFactory

    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    first, second = list(agreement.special_part.priorities.all())[:2]
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    own = [CaseFactory(title=f"Egen sak {i}", origin_region=region) for i in range(53)]
    for i, case in enumerate(own):
        Case.objects.filter(pk=case.pk).update(created_at=start + datetime.timedelta(days=i))
        case.priorities.add(first)
    hidden = CaseFactory(title="Annen regions interne sak", origin_region=other_region, visibility="internal")
    hidden.priorities.add(first, second)
    both = own[-1]
    both.priorities.add(second)

    client.force_login(leader)
    response = client.get(agreement.get_absolute_url())
    lists = {priority: cases for priority, cases, _url in response.context["priority_cases"]}
    assert [case.title for case in lists[first]] == [f"Egen sak {i}" for i in range(52, 42, -1)]  # newest 10
    assert lists[second] == [both]
    assert "Annen regions interne sak" not in response.content.decode()


@pytest.mark.parametrize("few", [5_000, 2], ids=["ids read first", "too many: a subquery"])
def test_the_agreement_page_links_each_priority_to_the_case_list_of_all_its_cases(
    client, leader, region, other_region, monkeypatch, few
):
    """The page shows the newest ten under a priority; its link opens the case list of every case tagged
    with any version of the priority that the reader may see, paged, named, and kept by the other filters
    (the tagged cases given to the database by key or, when many, as a subquery: cases.selectors.ids_by_key)."""
    import datetime

    import cases.selectors
    from cases.models import Case
    from tests.cases.factories import CaseFactory

    monkeypatch.setattr(cases.selectors, "FEW_IDS", few)

    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    first, second = list(agreement.special_part.priorities.all())[:2]
    renewal = services.agreement_create(county=region.host_county, region=region, actor=an_adviser(None))
    first_again = renewal.special_part.priorities.get(lineage=first.lineage)
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    own = [CaseFactory(title=f"Egen sak {i:02}", origin_region=region) for i in range(60)]
    for i, case in enumerate(own):
        Case.objects.filter(pk=case.pk).update(created_at=start + datetime.timedelta(days=i))
        case.priorities.add(first if i % 2 else first_again)
    other_priority = CaseFactory(title="Sak under en annen prioritering", origin_region=region)
    other_priority.priorities.add(second)
    hidden = CaseFactory(title="Annen regions interne sak", origin_region=other_region, visibility="internal")
    hidden.priorities.add(first)

    client.force_login(leader)
    page = client.get(agreement.get_absolute_url())
    url = next(url for priority, _cases, url in page.context["priority_cases"] if priority == first)
    assert f'href="{url.replace("&", "&amp;")}"' in page.content.decode()

    listed = client.get(url)
    assert listed.status_code == 200
    text = listed.content.decode()
    assert "60 saker" in text
    assert first.text[:40] in text  # the list names the priority
    assert [case.title for case in listed.context["cases"]] == [f"Egen sak {i:02}" for i in range(59, 9, -1)]
    assert "Sak under en annen prioritering" not in text and "Annen regions interne sak" not in text
    assert "Egen sak 00" in client.get(url + "&page=2").content.decode()
    # Another filter keeps the priority (a hidden field of the filter form), and the link drops it.
    assert f'name="priority" value="{first.lineage}"' in text
    narrowed = client.get(url + "&q=Egen+sak+05")
    assert [case.title for case in narrowed.context["cases"]] == ["Egen sak 05"]
    everything = client.get(reverse("cases:index") + "?" + narrowed.context["priority_filter"]["without"])
    assert "Sak under en annen prioritering" not in everything.content.decode()  # still searched for "Egen sak 05"
    assert [case.title for case in everything.context["cases"]] == ["Egen sak 05"]
    # The export of the filtered list holds the same cases.
    exported = b"".join(client.get(reverse("cases:export", args=["csv"]) + url[url.index("?") :]).streaming_content)
    assert exported.decode("utf-8-sig").count("Egen sak") == 60


def test_a_broken_priority_link_says_so_and_lists_every_case(client, leader, region):
    from tests.cases.factories import CaseFactory

    CaseFactory(title="Egen sak", origin_region=region)
    client.force_login(leader)
    response = client.get(reverse("cases:index") + "?priority=ikke-en-prioritering")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Prioriteringen i lenken er ikke gyldig" in text
    assert "Egen sak" in text
    unknown = client.get(reverse("cases:index") + "?priority=7f1c2a3e-0000-4000-8000-000000000000")
    assert unknown.status_code == 200
    assert "Viser sakene som er merket med én avtaleprioritering." in unknown.content.decode()
    assert list(unknown.context["cases"]) == []


def test_a_case_tagged_with_two_versions_of_a_priority_is_listed_once(client, adviser, region):
    from tests.cases.factories import CaseFactory

    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    renewal = services.agreement_create(county=region.host_county, region=region, actor=adviser)
    old, new = agreement.special_part.priorities.first(), renewal.special_part.priorities.first()
    assert old.lineage == new.lineage and old.pk != new.pk
    case = CaseFactory(title="Sak om begge versjoner", origin_region=region)
    case.priorities.add(old, new)

    client.force_login(adviser)
    lists = client.get(renewal.get_absolute_url()).context["priority_cases"]
    assert lists[0][:2] == (new, [case])


def test_the_case_list_never_names_a_priority_of_another_regions_draft(client, leader, region, other_region):
    """A link to another region's draft priority lists none of that region's internal cases and does not
    give away the draft's text: the list says only that it is filtered by an agreement priority."""
    from tests.cases.factories import CaseFactory

    from .factories import draft_agreement

    adopted_general_part(other_region.host_county)
    draft = draft_agreement(other_region, priorities=("Hemmelig satsing i utkastet", "Annen satsing"))
    secret = draft.special_part.priorities.get(text="Hemmelig satsing i utkastet")
    internal = CaseFactory(title="Follos interne sak", origin_region=other_region, visibility="internal")
    internal.priorities.add(secret)

    client.force_login(leader)
    response = client.get(reverse("cases:index") + f"?priority={secret.lineage}")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hemmelig satsing i utkastet" not in text and "Follos interne sak" not in text
    assert "Viser sakene som er merket med én avtaleprioritering." in text
    assert list(response.context["cases"]) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("kept_cache")
def test_the_agreement_text_is_drawn_once_and_shows_a_change_at_once(client, leader, region):
    """The two parts' text is the same for every reader: kept (core.fragments) until the data changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.kept import KEPT

    with override_settings(**KEPT):
        adopted_general_part(region.host_county)
        agreement = adopted_agreement(region)
        client.force_login(leader)
        assert "Formål" in client.get(agreement.get_absolute_url()).content.decode()
        with CaptureQueriesContext(connection) as kept:
            html = client.get(agreement.get_absolute_url()).content.decode()
        assert "Formål" in html and "Grønn næringsutvikling" in html
        assert not any("partnerships_generalpartsection" in q["sql"] for q in kept.captured_queries)
        strength = agreement.special_part.strengths.first()
        strength.text = "Sterkt fagmiljø i hele regionen"
        strength.save()  # as the admin or a task would: saved, committed
        assert "Sterkt fagmiljø i hele regionen" in client.get(agreement.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("kept_cache")
def test_the_cases_per_priority_are_kept_per_visibility_and_show_a_new_case_at_once(
    client, adviser, leader, region, other_region
):
    from tests.cases.factories import CaseFactory
    from tests.kept import KEPT

    with override_settings(**KEPT):
        adopted_general_part(region.host_county)
        agreement = adopted_agreement(region)
        first = agreement.special_part.priorities.first()
        hidden = CaseFactory(title="Annen regions interne sak", origin_region=other_region, visibility="internal")
        hidden.priorities.add(first)
        client.force_login(adviser)  # sees every case: the other region's internal one too
        assert "Annen regions interne sak" in client.get(agreement.get_absolute_url()).content.decode()
        client.force_login(leader)  # another visibility rule: never the adviser's kept list
        html = client.get(agreement.get_absolute_url()).content.decode()
        assert "Annen regions interne sak" not in html
        own = CaseFactory(title="Ny sak om grønn næring", origin_region=region)
        own.priorities.add(first)  # outside a request
        response = client.get(agreement.get_absolute_url())
        assert "Ny sak om grønn næring" in response.content.decode()
        assert "Annen regions interne sak" not in response.content.decode()
        lists = {priority: cases for priority, cases, _url in response.context["priority_cases"]}
        assert [case.get_absolute_url() for case in lists[first]] == [own.get_absolute_url()]
