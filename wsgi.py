"""WSGI entry point: ``gunicorn -k gevent -w 1 wsgi:app`` (one worker per process)."""

from eraati import create_app
from eraati.extensions import socketio

app = create_app()

if __name__ == "__main__":
    socketio.run(app, allow_unsafe_werkzeug=True)
