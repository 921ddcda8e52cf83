"""A small HTTP client for the deployment tests: cookies kept, redirects not followed."""

import http.cookiejar
import re
import ssl
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base, cert=None):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect]
        if cert:
            context = ssl.create_default_context(cafile=str(cert))
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)

    def open(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        response.body = response.read()
        return response

    def cookie(self, name):
        return next((cookie for cookie in self.cookies if cookie.name == name), None)

    def csrf_token(self, path):
        """The form's CSRF token on the page at `path`."""
        page = self.open(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, page.body[:500]
        return match.group(1).decode()

    def login(self, username, password):
        token = self.csrf_token("/akun/masuk/")
        return self.post_form(
            "/akun/masuk/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )

    def post_form(self, path, fields):
        return self.open(
            path, data=urlencode(fields).encode(), headers={"Referer": self.base + path}
        )

    def post_files(self, path, fields, files):
        """A multipart form: `files` maps a field to (filename, content type, bytes)."""
        boundary = uuid.uuid4().hex
        body = bytearray()
        for name, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        for name, (filename, content_type, data) in files.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.open(
            path,
            data=bytes(body),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
