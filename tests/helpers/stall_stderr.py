"""stall_stderr.py — run a command whose stderr is a full pipe, so that its
first diagnostic or progress line blocks it; meanwhile, once an entry starting
with PREFIX appears in DIR (the command is past a known point), run ACTION,
then let the command go on.

    python3 stall_stderr.py DIR PREFIX ACTION -- COMMAND...

ACTION is a shell command. The command's own stderr is copied to ours once the
pipe is drained; the exit code is the command's (or 1 if PREFIX never
appeared, with "never reached" on stderr). Deterministic: whatever the
machine's speed, the command cannot write a line to stderr before ACTION ran.
"""
import fcntl
import os
import subprocess
import sys
import time

watch, prefix, action = sys.argv[1], sys.argv[2], sys.argv[3]
cmd = sys.argv[sys.argv.index("--") + 1:]

r, w = os.pipe()
# fill the pipe to its capacity, then hand the (blocking) write end over
flags = fcntl.fcntl(w, fcntl.F_GETFL)
fcntl.fcntl(w, fcntl.F_SETFL, flags | os.O_NONBLOCK)
filler = 0
try:
    while True:
        filler += os.write(w, b"\0" * 4096)
except BlockingIOError:
    pass
# a partial page may still fit: fill byte by byte
try:
    while True:
        filler += os.write(w, b"\0")
except BlockingIOError:
    pass
fcntl.fcntl(w, fcntl.F_SETFL, flags)

p = subprocess.Popen(cmd, stderr=w)
os.close(w)
seen = False
deadline = time.monotonic() + 120
while p.poll() is None and time.monotonic() < deadline:
    try:
        names = os.listdir(watch)
    except FileNotFoundError:
        names = []
    if any(n.startswith(prefix) for n in names):
        seen = True
        break
    time.sleep(0.001)
if seen:
    subprocess.run(action, shell=True, check=True)
else:
    p.kill()  # blocked before PREFIX appeared, or too slow: report it

# drain: the filler first, then whatever the command wrote
data = b""
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    data += chunk
rc = p.wait()
sys.stderr.buffer.write(data[filler:])
if not seen:
    sys.stderr.write("never reached\n")
    sys.exit(1)
sys.exit(rc)
