/// The Python worker the bridge runs with `python3 -u -c <script>` (reference §2.5).
///
/// It speaks JSON lines: one request per line on stdin, one reply per line on stdout. The
/// protocol uses private duplicates of fds 0 and 1; the user's code sees `/dev/null` as stdin and
/// stderr as fd 1, so neither `input()` nor a child process writing to fd 1 can corrupt the
/// protocol. Replies are ASCII JSON without `NaN`/`Infinity` (a non-finite float is an error
/// reply), so they always parse.
enum PythonBridgeScript {
    static let source = #"""
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

_globals = {"__name__": "__main__", "__builtins__": __builtins__}
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
    if op == "set-context":
        _globals["context"] = req.get("data", "")
        return {"status": "ok"}
    return {"status": "error", "message": "Unknown op: %s" % (op,)}


def _reply(obj):
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
