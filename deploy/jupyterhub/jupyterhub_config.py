# JupyterHub for the GAN course on one machine (Debian 12's JupyterHub 3.0, its
# configurable-http-proxy and its classic notebook server).
#
#   sudo apt-get install jupyterhub node-configurable-http-proxy jupyter-notebook
#   # the course checkout, built, readable by every student (e.g. /opt/gan-course):
#   cd /opt/gan-course && npm ci && node cli/bin/gan-course.js assign notebooks/*.ipynb --out release/class
#   sudo GAN_COURSE_ROOT=/opt/gan-course jupyterhub -f /opt/gan-course/deploy/jupyterhub/jupyterhub_config.py
#
# Every setting below can be changed here or through the GAN_COURSE_* environment variable
# named next to it (the hub test uses the variables). See README.md in this folder.
#
# What each student gets when their server starts (gan-course-singleuser, run as them):
#   ~/gan-course/   the released student notebooks (`gan-course student`, which never
#                   overwrites a notebook the student already has), with a link to the
#                   course's library so the notebooks' imports resolve;
#   the tslab kernel: the hub writes the course's kernelspec once at start-up into a
#                   system-wide Jupyter data dir (default /usr/local/share/jupyter), which
#                   every student's notebook server searches.
import os
import shutil
import subprocess
import sys

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)


def setting(name, default):
    value = os.environ.get(name, '').strip()
    return value if value else default


def fail(message):
    # JupyterHub shows a config error as a traceback; this says what to do instead.
    print(f'jupyterhub_config.py: {message}', file=sys.stderr)
    sys.exit(1)


HERE = os.path.dirname(os.path.abspath(__file__))

# --- The course -----------------------------------------------------------------------
# The checkout (built with `npm ci`); every student must be able to read it.
COURSE_ROOT = os.path.abspath(setting('GAN_COURSE_ROOT', os.path.join(HERE, '..', '..')))
# The release folder that `gan-course assign notebooks/*.ipynb --out release/class` wrote.
RELEASE = os.path.abspath(setting('GAN_COURSE_RELEASE', os.path.join(COURSE_ROOT, 'release', 'class')))
# The working folder in each student's home.
STUDENT_FOLDER = setting('GAN_COURSE_STUDENT_FOLDER', 'gan-course')
# The Node.js that runs the kernel (20 or newer).
NODE = setting('GAN_COURSE_NODE', shutil.which('node') or '/usr/bin/node')
# Where the hub writes the tslab kernelspec (a system-wide Jupyter data dir).
KERNEL_DATA_DIR = setting('GAN_COURSE_KERNEL_DATA_DIR', '/usr/local/share/jupyter')

# --- The hub ----------------------------------------------------------------------------
# The public address ('' = every interface). Put TLS in front (c.JupyterHub.ssl_cert and
# ssl_key, or a reverse proxy) before students log in over a network.
HUB_IP = setting('GAN_COURSE_HUB_IP', '')
HUB_PORT = int(setting('GAN_COURSE_HUB_PORT', '8000'))
# The hub's own API and the proxy's API, on the loopback.
HUB_API_PORT = int(setting('GAN_COURSE_HUB_API_PORT', '8081'))
PROXY_API_PORT = int(setting('GAN_COURSE_PROXY_API_PORT', '8001'))
# The hub's database, cookie secret and proxy pid file.
STATE_DIR = setting('GAN_COURSE_HUB_STATE', '/var/lib/gan-course-hub')

# --- Who logs in ------------------------------------------------------------------------
# 'pam': the machine's own users and passwords (the normal case: one account per student,
#        e.g. `useradd -m student1 && passwd student1`). The hub must run as root.
# 'dummy': FOR TESTS ONLY. Anyone who knows GAN_COURSE_HUB_DUMMY_PASSWORD logs in under any
#        name that is a local user. Refused unless the hub listens on the loopback only.
AUTH = setting('GAN_COURSE_HUB_AUTH', 'pam')
# Teachers (comma-separated user names): they see the admin page.
ADMINS = [u for u in setting('GAN_COURSE_HUB_ADMINS', '').split(',') if u]
# Only members of this Unix group may log in (PAM only; empty: every local user).
STUDENT_GROUP = setting('GAN_COURSE_HUB_GROUP', '')
# A token for scripts that manage the class through the REST API (create users and tokens,
# start and stop servers). Empty: no such token. Keep it secret (e.g. `openssl rand -hex 32`).
ADMIN_TOKEN = setting('GAN_COURSE_HUB_ADMIN_TOKEN', '')

# --- Per-student resources ---------------------------------------------------------------
# 'local': JupyterHub's LocalProcessSpawner (no extra package). It cannot enforce limits:
#          the course makes each kernel stay within them (one wasm thread per CPU of the
#          limit, V8 heap capped at the memory limit), which is advisory, not a hard cap.
# 'systemd': jupyterhub-systemdspawner (not packaged by Debian; `pip install
#          jupyterhub-systemdspawner` on a systemd host), which enforces both limits with
#          systemd's MemoryMax and CPUQuota.
SPAWNER = setting('GAN_COURSE_HUB_SPAWNER', 'local')
MEM_LIMIT = setting('GAN_COURSE_MEM_LIMIT', '2G')
CPU_LIMIT = float(setting('GAN_COURSE_CPU_LIMIT', '1'))

# --- Checks: say what is missing, not a traceback ----------------------------------------
if not os.path.isfile(os.path.join(COURSE_ROOT, 'cli', 'dist', 'main.js')):
    fail(f'{COURSE_ROOT} is not a built course checkout (no cli/dist/main.js): run `npm ci` there, or set GAN_COURSE_ROOT')
if not os.path.isfile(NODE):
    fail(f'no Node.js at {NODE}: install Node 20 or newer, or set GAN_COURSE_NODE')
# The students' servers run the checkout's kernel with this Node, as the students.
for what, target in (('the course checkout', os.path.join(COURSE_ROOT, 'cli', 'dist', 'main.js')), ('Node', NODE)):
    real = os.path.realpath(target)
    d = os.path.dirname(real)
    while True:
        if not os.stat(d).st_mode & 0o001:
            # A warning, not a stop: group permissions may still let the students in.
            print(f'jupyterhub_config.py: warning: {what} may be out of the students\' reach: {d} is not '
                  f'searchable by other users (chmod o+x {d}, or put the course somewhere like /opt/gan-course)',
                  file=sys.stderr)
            break
        if os.path.dirname(d) == d:
            break
        d = os.path.dirname(d)
if not os.path.isdir(RELEASE):
    print(f'jupyterhub_config.py: warning: no release folder {RELEASE}; students get no notebooks until '
          f'`gan-course assign notebooks/*.ipynb --out {RELEASE}` writes it', file=sys.stderr)
SINGLEUSER = shutil.which('jupyterhub-singleuser', path='/usr/local/bin:/usr/bin:/bin')
if not SINGLEUSER:
    fail('jupyterhub-singleuser not found: apt-get install jupyterhub')
try:
    import notebook.notebookapp  # noqa: F401
except ImportError:
    fail("Debian's notebook server is missing: apt-get install jupyter-notebook")

# Debian's configurable-http-proxy loads its modules from /usr/share/nodejs, which Debian's
# own node searches but a Node from nodejs.org or NodeSource does not.
PROXY = shutil.which('configurable-http-proxy')
if not PROXY:
    fail('configurable-http-proxy not found: apt-get install node-configurable-http-proxy')
if os.path.isdir('/usr/share/nodejs') and os.path.realpath(PROXY).startswith('/usr/share/nodejs/'):
    paths = [p for p in os.environ.get('NODE_PATH', '').split(os.pathsep) if p]
    if '/usr/share/nodejs' not in paths:
        os.environ['NODE_PATH'] = os.pathsep.join(paths + ['/usr/share/nodejs'])
    probe = subprocess.run([PROXY, '--version'], capture_output=True, text=True)
    if probe.returncode != 0:
        lines = (probe.stderr or probe.stdout).strip().splitlines()
        why = next((line.strip() for line in lines if 'Error' in line), lines[-1] if lines else f'exit code {probe.returncode}')
        fail(f'configurable-http-proxy does not start ({why}); with NODE_PATH={os.environ["NODE_PATH"]}')

# configurable-http-proxy survives a public port that is taken (it logs EADDRINUSE and
# keeps serving its API), so the hub would report itself running while nobody reaches it.
# Checked here, unless the port is held by this hub's own proxy from a previous run (the hub
# stops that one itself).
def own_proxy_running():
    try:
        with open(os.path.join(STATE_DIR, 'jupyterhub-proxy.pid')) as f:
            pid = int(f.read().strip())
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            return b'configurable-http-proxy' in f.read()
    except (OSError, ValueError):
        return False


if not own_proxy_running():
    import socket
    probe_sock = socket.socket(socket.AF_INET6 if ':' in HUB_IP else socket.AF_INET)
    try:
        probe_sock.bind((HUB_IP, HUB_PORT))
    except OSError as e:
        fail(f'the public port {HUB_IP or "*"}:{HUB_PORT} is in use ({e.strerror}): '
             'stop what holds it or set GAN_COURSE_HUB_PORT; the proxy could not serve the hub there')
    finally:
        probe_sock.close()

# --- The kernel: the course's kernelspec, system-wide ------------------------------------
# Written at every start, so that it follows the checkout and the Node binary.
kernel_json = os.path.join(KERNEL_DATA_DIR, 'kernels', 'tslab', 'kernel.json')
install = subprocess.run(
    [NODE, '-e', 'process.stdout.write(require(process.argv[1]).installKernelSpec(process.argv[2]))',
     os.path.join(COURSE_ROOT, 'cli', 'dist', 'runner'), KERNEL_DATA_DIR],
    capture_output=True, text=True)
if install.returncode != 0:
    fail(f'could not write the tslab kernelspec to {kernel_json}: {install.stderr.strip()}')
print(f'jupyterhub_config.py: tslab kernelspec written to {install.stdout.strip()}', file=sys.stderr)

# --- JupyterHub ----------------------------------------------------------------------------
os.makedirs(STATE_DIR, mode=0o700, exist_ok=True)
c.JupyterHub.ip = HUB_IP
c.JupyterHub.port = HUB_PORT
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = HUB_API_PORT
c.ConfigurableHTTPProxy.api_url = f'http://127.0.0.1:{PROXY_API_PORT}'
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE_DIR, 'jupyterhub-proxy.pid')
c.JupyterHub.db_url = 'sqlite:///' + os.path.join(STATE_DIR, 'jupyterhub.sqlite')
c.JupyterHub.cookie_secret_file = os.path.join(STATE_DIR, 'jupyterhub_cookie_secret')
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the students' servers

if AUTH == 'pam':
    c.JupyterHub.authenticator_class = 'jupyterhub.auth.PAMAuthenticator'
    if STUDENT_GROUP:
        c.PAMAuthenticator.allowed_groups = {STUDENT_GROUP}
    if os.geteuid() != 0:
        fail('PAM login of other users needs the hub to run as root (it starts each server as that user)')
elif AUTH == 'dummy':
    # TESTING ONLY: a shared password, no real accounts check.
    if HUB_IP not in ('127.0.0.1', 'localhost', '::1'):
        fail('the dummy authenticator is for tests only: it is refused unless GAN_COURSE_HUB_IP is 127.0.0.1')
    password = setting('GAN_COURSE_HUB_DUMMY_PASSWORD', '')
    if not password:
        fail('the dummy authenticator needs GAN_COURSE_HUB_DUMMY_PASSWORD (without it any password is accepted)')
    c.JupyterHub.authenticator_class = 'dummy'
    c.DummyAuthenticator.password = password
else:
    fail(f"GAN_COURSE_HUB_AUTH must be 'pam' or 'dummy', got {AUTH!r}")
c.Authenticator.admin_users = set(ADMINS)

if ADMIN_TOKEN:
    c.JupyterHub.services = [{'name': 'course-admin', 'api_token': ADMIN_TOKEN}]
    c.JupyterHub.load_roles = [{
        'name': 'course-admin',
        'description': 'manages the class: users, their tokens and servers',
        'scopes': ['admin:users', 'admin:servers', 'tokens', 'access:servers'],
        'services': ['course-admin'],
    }]

# --- Each student's notebook server ----------------------------------------------------------
if SPAWNER == 'systemd':
    c.JupyterHub.spawner_class = 'systemdspawner.SystemdSpawner'
elif SPAWNER == 'local':
    c.JupyterHub.spawner_class = 'jupyterhub.spawner.LocalProcessSpawner'
else:
    fail(f"GAN_COURSE_HUB_SPAWNER must be 'local' or 'systemd', got {SPAWNER!r}")

# The course's start script (as the student): the student folder, then jupyterhub-singleuser.
c.Spawner.cmd = [os.path.join(COURSE_ROOT, 'deploy', 'jupyterhub', 'gan-course-singleuser')]
c.Spawner.notebook_dir = '~'
c.Spawner.default_url = f'/tree/{STUDENT_FOLDER}'
c.Spawner.mem_limit = MEM_LIMIT  # '2G'; systemd and Kubernetes enforce it
c.Spawner.cpu_limit = CPU_LIMIT
# A class logs in at once and every server compiles TypeScript at start: be patient.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

node_dir = os.path.dirname(NODE)
env = {
    # Debian's classic notebook server (JupyterHub 3 would also take jupyter_server).
    'JUPYTERHUB_SINGLEUSER_APP': 'notebook.notebookapp.NotebookApp',
    'GAN_COURSE_ROOT': COURSE_ROOT,
    'GAN_COURSE_RELEASE': RELEASE,
    'GAN_COURSE_STUDENT_FOLDER': STUDENT_FOLDER,
    'GAN_COURSE_NODE': NODE,
    'GAN_COURSE_SINGLEUSER': SINGLEUSER,
    # The students' PATH, not the hub's (root's may hold folders they cannot read).
    'PATH': os.pathsep.join(dict.fromkeys([node_dir, '/usr/local/bin', '/usr/bin', '/bin'])),
    # Within the CPU limit: the wasm backend's thread pool (1 thread per CPU of the limit).
    'GAN_COURSE_WASM_THREADS': str(max(1, min(8, int(CPU_LIMIT)))),
}
if KERNEL_DATA_DIR not in ('/usr/local/share/jupyter', '/usr/share/jupyter'):
    env['JUPYTER_PATH'] = KERNEL_DATA_DIR  # not a dir Jupyter searches by itself
# Within the memory limit: the kernels' V8 heap, three quarters of it (tensors in wasm
# memory and the notebook server come on top). Advisory with the local spawner.
units = {'K': 2**10, 'M': 2**20, 'G': 2**30, 'T': 2**40}
suffix = MEM_LIMIT[-1:].upper()
mem_bytes = float(MEM_LIMIT[:-1]) * units[suffix] if suffix in units else float(MEM_LIMIT)
if mem_bytes:
    env['NODE_OPTIONS'] = f'--max-old-space-size={max(256, int(mem_bytes * 0.75 / 2**20))}'
c.Spawner.environment = env

# Idle servers: Debian has no jupyterhub-idle-culler package; with it from pip, add this
# service to c.JupyterHub.services (and set GAN_COURSE_HUB_ADMIN_TOKEN or define the list):
# c.JupyterHub.services.append({'name': 'idle-culler', 'command': [sys.executable, '-m', 'jupyterhub_idle_culler', '--timeout=3600']})
# c.JupyterHub.load_roles.append({'name': 'idle-culler', 'scopes': ['list:users', 'read:users:activity', 'read:servers', 'delete:servers'], 'services': ['idle-culler']})
