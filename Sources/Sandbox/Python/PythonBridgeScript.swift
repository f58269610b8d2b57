/// The Python worker the bridge runs with `python3 -u -c <script>` (reference §2.5).
///
/// It speaks JSON lines: one request per line on stdin, one reply per line on stdout. The
/// protocol uses private duplicates of fds 0 and 1; the user's code sees `/dev/null` as stdin and
/// stderr as fd 1, so neither `input()` nor a child process writing to fd 1 can corrupt the
/// protocol. Replies are ASCII JSON without `NaN`/`Infinity` (a non-finite float is an error
/// reply), so they always parse. In a dry run (`--dry-run SCRATCH`, see `PythonDryRunScript`) the
/// worker's cwd is the working folder and every reply carries the would-be file changes.
///
/// Python sees `context` (a string) and `context_store` (a dict of the named contexts), kept in
/// step by `set-context` requests.
enum PythonBridgeScript {
    static func source(dryRun: Bool) -> String {
        dryRun ? PythonDryRunScript.source + "\n\n" + main : main
    }

    private static let main = #"""
import sys, os, io, json, traceback, contextlib

_proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8", errors="surrogateescape")
_proto_out = os.fdopen(os.dup(1), "w", encoding="ascii")
try:
    _null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(_null, 0)
    os.close(_null)
    os.dup2(2, 1)
except OSError:
    pass



def _environ_guard(event, args):
    # Another process's environment (the parent's) holds the API keys the worker was started without.
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith("/proc/") and path.endswith("/environ"):
            raise PermissionError(1, "reading a process's environment is not allowed from the sandbox (it holds API keys)")


sys.addaudithook(_environ_guard)

_take_changes = None
if len(sys.argv) >= 3 and sys.argv[1] == "--dry-run":
    _take_changes = _dry_run_install(sys.argv[2], os.getcwd())

_globals = {"__name__": "__main__", "__builtins__": __builtins__, "context": "", "context_store": {}}
_refs = {}
_counter = [0]


def _convert(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [_convert(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _convert(x) for k, x in v.items()}
    name = "obj_%d" % _counter[0]
    _counter[0] += 1
    _refs[name] = v
    return {"__ref__": name}


def _error(e):
    return {"status": "error", "message": str(e), "traceback": traceback.format_exc()}


def _handle(req):
    op = req.get("op") if isinstance(req, dict) else None
    if op == "exec":
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                exec(req.get("code", ""), _globals)
        except BaseException as e:
            return _error(e)
        return {"status": "ok", "stdout": out.getvalue(), "stderr": err.getvalue()}
    if op == "eval":
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                value = eval(req.get("expr", ""), _globals)
            return {"status": "ok", "value": _convert(value)}
        except BaseException as e:
            return _error(e)
    if op == "call":
        ref = req.get("ref")
        if isinstance(ref, dict):
            ref = ref.get("__ref__")
        if not isinstance(ref, str) or ref not in _refs:
            return {"status": "error", "message": "Unknown ref: %s" % (ref,)}
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                value = getattr(_refs[ref], req.get("method", ""))(*req.get("args", []))
            return {"status": "ok", "value": _convert(value)}
        except BaseException as e:
            return _error(e)
    if op == "set-var":
        name = req.get("name")
        if not isinstance(name, str) or not name.isidentifier():
            return {"status": "error", "message": "Invalid variable name: %s" % (name,)}
        _globals[name] = req.get("value")
        return {"status": "ok"}
    if op == "ping":
        return {"status": "ok"}
    if op == "set-context":
        # `context` always; `context_store[name]` when named; the whole store when given.
        if "data" in req:
            _globals["context"] = req.get("data", "")
        store = req.get("store")
        if isinstance(store, dict):
            _globals["context_store"] = dict(store)
        name = req.get("name")
        if isinstance(name, str):
            if not isinstance(_globals.get("context_store"), dict):
                _globals["context_store"] = {}
            _globals["context_store"][name] = req.get("data", "")
        return {"status": "ok"}
    return {"status": "error", "message": "Unknown op: %s" % (op,)}


def _reply(obj):
    if _take_changes is not None:
        try:
            obj["changes"] = _take_changes()
        except BaseException as e:
            obj["changes"] = [{"kind": "unknown", "path": "(the change record failed: %s)" % e, "bytes": 0}]
    try:
        text = json.dumps(obj, allow_nan=False)
    except BaseException as e:
        text = json.dumps({"status": "error", "message": str(e), "traceback": ""})
    _proto_out.write(text + "\n")
    _proto_out.flush()


while True:
    line = _proto_in.readline()
    if not line:
        break
    if not line.strip():
        continue
    try:
        req = json.loads(line)
    except BaseException as e:
        _reply({"status": "error", "message": "Invalid JSON: %s" % e})
        continue
    _reply(_handle(req))
"""#
}
