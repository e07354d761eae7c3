"""tests/helpers/loopback_server.py: the process lifecycle shared by the Python
test servers (token_issuer.py, fault_proxy.py).

serve(server, port_file, pid_file, watch_pid, on_stop) runs a socketserver that is
already bound to 127.0.0.1: it writes the port and pid files atomically (after
the bind, so a reader that sees the port can connect), serves until SIGTERM or
SIGINT, or until the process `watch_pid` is gone (so a killed test shell leaves
no server behind), then calls on_stop() and closes the socket. Returns 0.
"""

import os
import signal
import threading
import time


def write_atomic(path, text):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, path)


def _watch(pid, server, on_stop):
    while True:
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            if on_stop:
                on_stop()
            server.shutdown()
            return
        except PermissionError:
            pass


def serve(server, port_file=None, pid_file=None, watch_pid=None, on_stop=None):
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if watch_pid:
        threading.Thread(target=_watch, args=(watch_pid, server, on_stop),
                         daemon=True).start()
    if pid_file:
        write_atomic(pid_file, "%d\n" % os.getpid())
    if port_file:
        write_atomic(port_file, "%d\n" % server.server_address[1])
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        if on_stop:
            on_stop()
        server.server_close()
    return 0
