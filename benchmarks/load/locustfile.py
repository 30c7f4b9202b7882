"""Load profile of habeas: team members browsing, searching and adding notes.

Run by ``benchmarks/load/run_load.py`` (which starts the server and loads the demo); by hand:
``locust -f benchmarks/load/locustfile.py --host http://127.0.0.1:PORT`` with HABEAS_LOAD_USER /
HABEAS_LOAD_PASSWORD set. Each simulated user signs in once, then picks tasks by weight.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

USER = os.environ.get("HABEAS_LOAD_USER", "demo")
PASSWORD = os.environ.get("HABEAS_LOAD_PASSWORD", "")
SEARCH_WORDS = ["blood", "Cooper", "shoe print", "Chino", "hatchet", "DNA", "\"sheriff's department\"", "evidence"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class TeamMember(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        page = self.client.get("/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        r = self.client.post("/login/", {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
                             name="login", allow_redirects=False)
        if r.status_code != 302:
            r.failure(f"login failed: {r.status_code}")
        cases = self.client.get("/", name="case list").text
        self.cases = sorted({int(n) for n in re.findall(r'href="/cases/(\d+)/"', cases)}) or [1]
        self.items = {}

    def _case(self):
        return random.choice(self.cases)

    @task(4)
    def case_list(self):
        self.client.get("/", name="case list")

    @task(6)
    def case_page(self):
        pk = self._case()
        html = self.client.get(f"/cases/{pk}/", name="case page").text
        self.items[pk] = re.findall(rf'href="/cases/{pk}/evidence/(\d+)/"', html)

    @task(3)
    def evidence_page(self):
        pk = self._case()
        if self.items.get(pk):
            self.client.get(f"/cases/{pk}/evidence/{random.choice(self.items[pk])}/", name="evidence item page")
        else:
            self.case_page()

    @task(2)
    def documents(self):
        self.client.get(f"/documents/case/{self._case()}/", name="case documents")

    @task(4)
    def search_documents(self):
        self.client.get("/documents/search/", params={"q": random.choice(SEARCH_WORDS)}, name="document search")

    @task(2)
    def search_cases(self):
        self.client.get("/", params={"q": random.choice(["Cooper", "California", "training"])}, name="case search")

    @task(2)
    def add_note(self):
        pk = self._case()
        form = self.client.get(f"/cases/{pk}/notes/add/", name="note form")
        token = CSRF.search(form.text)
        if token is None:
            form.failure("no CSRF token on the note form")
            return
        with self.client.post(f"/cases/{pk}/notes/add/",
                              {"text": f"Load-test note {random.randint(0, 10**9)}", "csrfmiddlewaretoken": token.group(1)},
                              name="add note", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"note not added: {r.status_code}")
