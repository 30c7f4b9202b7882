"""Set-up and serving: ``habeas init``, ``serve``, ``demo``, ``createuser``."""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from habeas.cli import CommandError, setup_django

DEMO_USER = "demo"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create or migrate the database in the data folder",
                       description="Create the data folder and bring the database schema up to date.")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("serve", help="serve the web UI (production WSGI server)",
                       description="Serve habeas with waitress, a production WSGI server.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    p.add_argument("--database", metavar="URL", help="database URL (overrides HABEAS_DATABASE_URL)")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("demo", help="set up the demo: migrate, load the demo case, create a user",
                       description="Migrate, load the demo case (Kevin Cooper, California) through the "
                                   "case importer, create the first user and print how to log in. "
                                   "Use --serve to start the web UI afterwards.")
    p.add_argument("--serve", action="store_true", help="serve the web UI on 127.0.0.1:8000 afterwards")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("createuser", help="create a user (prints a one-time password)",
                       description="Create a user. The password comes from HABEAS_PASSWORD or is generated "
                                   "and printed once.")
    p.add_argument("username")
    p.add_argument("--email", default="")
    p.add_argument("--admin", action="store_true", help="make the user an administrator")
    p.set_defaults(handler=cmd_createuser)


def cmd_init(args) -> int:
    setup_django()
    from django.conf import settings

    print(f"habeas: database ready ({settings.DATABASES['default']['NAME']})")
    return 0


def cmd_serve(args) -> int:
    if args.database:
        os.environ["HABEAS_DATABASE_URL"] = args.database
    setup_django()
    from waitress import serve

    from habeas.wsgi import application

    from habeas.jobs.worker import start_embedded_worker

    start_embedded_worker()  # background jobs (OCR, searches) run in this process: no extra server
    print(f"habeas: serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    serve(application, host=args.host, port=args.port, threads=args.threads, _quiet=True)
    return 0


def create_user(username: str, *, email: str = "", admin: bool = False) -> tuple[object, str | None]:
    """Create a user; return (user, password printed once or None when taken from HABEAS_PASSWORD)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise CommandError(f"user {username!r} already exists")
    password = os.environ.get("HABEAS_PASSWORD")
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, email=email, password=password,
                                    is_staff=admin, is_superuser=admin)
    return user, generated


def cmd_createuser(args) -> int:
    setup_django()

    user, generated = create_user(args.username, email=args.email, admin=args.admin)
    print(f"habeas: created user {user.username}" + (" (administrator)" if args.admin else ""))
    if generated:
        print(f"habeas: one-time password: {generated}  (shown once; change it after logging in)")
    return 0


def cmd_demo(args) -> int:
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from habeas.cases.demo import load_demo, load_training

    case, created = load_demo()
    print(f"habeas: demo case {'loaded' if created else 'already present'}: {case.caption} (id {case.pk})")
    training, created = load_training()
    print(f"habeas: training case {'loaded' if created else 'already present'}: {training.caption} "
          f"(id {training.pk}; synthetic DNA profiles)")
    User = get_user_model()
    user = User.objects.filter(username=DEMO_USER).first()
    if user is None:
        user, generated = create_user(DEMO_USER, admin=True)
        print(f"habeas: created user {DEMO_USER!r}")
        if generated:
            print(f"habeas: one-time password: {generated}  (shown once)")
        else:
            print("habeas: password taken from HABEAS_PASSWORD")
    else:
        print(f"habeas: user {DEMO_USER!r} exists (password unchanged; set a new one with "
              f"'habeas createuser' for another user)")
    for c in (case, training):
        c.memberships.get_or_create(user=user, defaults={"role": "attorney"})
    if created or not case.documents.exists():
        from habeas.documents.demo import load_demo_documents

        load_demo_documents(case, stdout=sys.stdout)
    from habeas.reference.importer import import_shared_if_present

    import_shared_if_present(stdout=sys.stdout)
    print(f"habeas: data folder {settings.HOME}")
    if args.serve:
        args.host, args.threads, args.database = "127.0.0.1", 8, None
        return cmd_serve(args)
    return 0
