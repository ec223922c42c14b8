"""``ictk serve``: the self-check web page (Starlette, Jinja templates, local assets only).

``app.create_app`` builds the ASGI application; ``work.check_upload`` is what it does with one
upload (in a child process, ``isolate.run``); ``templates/`` and ``static/`` are the page.
Install with ``pip install '.[web]'``; nothing here is imported by the other commands.
"""
