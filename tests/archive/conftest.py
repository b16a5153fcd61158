"""A case from a region closed with an attachment, a routing and its answer; a case from the county
answered by two regions; the archive folder under the test's tmp_path."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Case
from tests.cases.factories import stored_pdf_attachment

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2030, 3, 4, 10, 0, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def archive_folder(settings, tmp_path):
    settings.ARCHIVE_URL = ""
    settings.ARCHIVE_DIR = tmp_path / "arkiv"
    return settings.ARCHIVE_DIR


def answer_sent_case(*, leader, region, adviser, staff, council_area, title="Fylkesvei 120 trenger gang- og sykkelvei"):
    case = services.case_create(
        actor=leader,
        title=title,
        description="Trafikksikkerhet for skolebarn langs fylkesveien.",
        topic=Case.Topic.CONCRETE_MATTER,
        origin_region=region,
        deadline=datetime.date(2030, 4, 1),
        now=NOW,
    )
    stored_pdf_attachment(case=case, actor=leader, uploaded_at=NOW, original_name="kart over strekningen.pdf")
    services.case_submit(case=case, actor=leader, now=NOW)
    services.case_receive(case=case, actor=adviser, now=NOW)
    services.case_route(case=case, actor=adviser, council_areas=[council_area], now=NOW)
    routing = case.routings.get()
    services.routing_answer(routing=routing, actor=staff, answer="Vi prioriterer strekningen i 2031.", now=NOW)
    services.case_send_answer(case=case, actor=adviser, answer="Svar fra fylket: prioritert i 2031.", now=NOW)
    case.refresh_from_db()
    return case


@pytest.fixture
def answered(leader, region, members, adviser, staff, council_area):
    """A region's case whose answer has been sent (the step before closing)."""
    return answer_sent_case(leader=leader, region=region, adviser=adviser, staff=staff, council_area=council_area)


@pytest.fixture
def closed(answered, adviser):
    services.case_close(case=answered, actor=adviser, now=NOW)
    answered.refresh_from_db()
    return answered


@pytest.fixture
def closed_county_case(staff, council_area, adviser, leader, other_leader, region, other_region):
    case = services.case_create(
        actor=staff,
        title="Høring: regional plan for samferdsel",
        direction=Case.Direction.COUNTY_TO_REGIONS,
        origin_council_area=council_area,
        topic=Case.Topic.REGIONAL_PLAN,
        now=NOW,
    )
    services.case_submit(case=case, actor=staff, now=NOW)
    services.case_regions_send(case=case, actor=adviser, regions=[region, other_region], now=NOW)
    for request, who, text in (
        (case.region_requests.get(region=region), leader, "Vi støtter planen."),
        (case.region_requests.get(region=other_region), other_leader, "Vi har innspill."),
    ):
        services.region_request_answer(region_request=request, actor=who, answer=text, now=NOW)
    services.case_send_answer(case=case, actor=adviser, answer="Samlede svar fra regionene.", now=NOW)
    services.case_close(case=case, actor=adviser, now=NOW)
    case.refresh_from_db()
    return case


class ArchiveEndpoint:
    """A real HTTP server on a loopback port, in a thread: records every POST (headers and body) and
    answers with the status the test sets."""

    def __init__(self):
        import http.server
        import threading

        endpoint = self
        self.requests = []
        self.status = 201

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                endpoint.requests.append((dict(self.headers), body))
                reply = f"Mottatt som arkivmelding {len(endpoint.requests)}".encode()
                if endpoint.status >= 400:
                    reply = b"Arkivet er ikke tilgjengelig"
                self.send_response(endpoint.status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/arkivmelding"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def archive_endpoint(settings):
    endpoint = ArchiveEndpoint()
    settings.ARCHIVE_URL = endpoint.url
    yield endpoint
    endpoint.stop()
