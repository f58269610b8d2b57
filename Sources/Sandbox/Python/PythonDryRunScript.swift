/// The copy-on-write layer the Python worker installs in a simulated run (`PythonReach.copyOnWrite`).
///
/// `_dry_run_install(scratch, root)` patches `open`/`io.open`, the `os` file functions (which
/// `os.path`, `pathlib`, `glob`, `shutil` and `tempfile` call) and `shutil.rmtree` so that
/// reads see the user's files merged with what the run itself wrote, and every write, append,
/// delete, rename or mkdir lands under `scratch/upper` (deletions are remembered as "whiteouts"
/// in `scratch/state.json`, so a restarted worker sees the same world). Under the patches, an
/// audit hook refuses any change that reaches the operating system outside the scratch area
/// (C code, `posix.*`, `_io.FileIO`), network access, other programs, signals, environment
/// changes and ctypes calls, with `PermissionError("simulation: … is not allowed in a dry run")`.
/// It returns `take_changes()`, the would-be changes since the last call (the bridge attaches
/// them to every reply). It guards against accidents, not against code that sets out to undo it.
enum PythonDryRunScript {
    static var source: String { overlay + operations + install }

    /// The overlay: the scratch area's state and the path translation (the first part of the
    /// function `_dry_run_install`; `operations` and `install` follow).
    private static let overlay = #"""
def _dry_run_install(_scratch, _root):
    import os, io, sys, json, errno, stat as _st, builtins, shutil

    upper = os.path.join(_scratch, "upper")
    state_file = os.path.join(_scratch, "state.json")
    real = {n: getattr(os, n) for n in (
        "open", "stat", "lstat", "access", "listdir", "scandir", "remove", "unlink", "rmdir", "rename",
        "replace", "mkdir", "truncate", "chmod", "chown", "utime", "readlink", "symlink", "link")}
    real_io_open = io.open
    whiteouts = set()
    existed = {}
    pending = []
    opener_pending = [False]
    try:
        with real_io_open(state_file, "r", encoding="utf-8") as f:
            whiteouts.update(json.load(f).get("whiteouts", []))
    except (OSError, ValueError):
        pass

    # Helpers on the real file system (the patched os.* would translate the scratch paths again).
    def r_stat(p, follow=True):
        try:
            return (real["stat"] if follow else real["lstat"])(p)
        except (OSError, ValueError):
            return None

    def r_lexists(p):
        return r_stat(p, False) is not None

    def r_isdir(p):
        st = r_stat(p)
        return st is not None and _st.S_ISDIR(st.st_mode)

    def r_islink(p):
        st = r_stat(p, False)
        return st is not None and _st.S_ISLNK(st.st_mode)

    def r_size(p):
        st = r_stat(p)
        return st.st_size if st is not None and _st.S_ISREG(st.st_mode) else 0

    def r_rmtree(p):
        if r_isdir(p) and not r_islink(p):
            for n in real["listdir"](p):
                r_rmtree(os.path.join(p, n))
            real["rmdir"](p)
        elif r_lexists(p):
            real["unlink"](p)

    def r_copy_file(src, dest):
        if r_islink(src):
            real["symlink"](real["readlink"](src), dest)
            return
        with real_io_open(src, "rb") as fin, real_io_open(dest, "wb") as fout:
            while True:
                chunk = fin.read(1 << 20)
                if not chunk:
                    break
                fout.write(chunk)
        st = r_stat(src)
        if st is not None:
            real["chmod"](dest, _st.S_IMODE(st.st_mode))

    def refuse(what):
        return PermissionError(errno.EPERM, "simulation: %s is not allowed in a dry run" % what)

    def save_state():
        with real_io_open(state_file, "w", encoding="utf-8") as f:
            json.dump({"whiteouts": sorted(whiteouts)}, f)

    def _mkdirs_real(p):
        parts = []
        while p and not r_isdir(p) and p != "/":
            parts.append(p)
            p = os.path.dirname(p)
        for d in reversed(parts):
            try:
                real["mkdir"](d)
            except FileExistsError:
                pass

    def absolute(p):
        """The absolute text path of `p` and a function giving results back in `p`'s type."""
        p = os.fspath(p)
        if isinstance(p, bytes):
            return os.path.abspath(os.fsdecode(p)), os.fsencode
        return os.path.abspath(p), (lambda s: s)

    def up(a):
        return upper + a

    def shown(a):
        """The path relative to the working folder when inside it, else absolute."""
        if a == _root:
            return "."
        if a.startswith(_root.rstrip("/") + "/"):
            return a[len(_root.rstrip("/")) + 1:]
        return a

    def hidden(a):
        while True:
            if a in whiteouts:
                return True
            parent = os.path.dirname(a)
            if parent == a:
                return False
            a = parent

    def resolve(a):
        """Where `a` is read from: its scratch copy, the user's file, or None (deleted in the run)."""
        u = up(a)
        if r_lexists(u):
            return u
        if hidden(a):
            return None
        return a

    def exists(a):
        r = resolve(a)
        return r is not None and r_lexists(r)

    def isdir(a):
        r = resolve(a)
        return r is not None and r_isdir(r)

    def lower_exists(a):
        return not hidden(a) and r_lexists(a)

    def not_found(a):
        return FileNotFoundError(errno.ENOENT, "No such file or directory", a)

    def prepare_parent(a):
        parent = os.path.dirname(a)
        if not isdir(parent):
            raise not_found(a)
        _mkdirs_real(up(parent))

    def copy_tree_up(a, dest):
        """Copies what `a` shows (file or directory, merged) to the real path `dest`."""
        src = resolve(a)
        if src is not None and r_isdir(src) and not r_islink(src):
            _mkdirs_real(dest)
            for name in merged_names(a):
                copy_tree_up(os.path.join(a, name), os.path.join(dest, name))
        elif src is not None:
            _mkdirs_real(os.path.dirname(dest))
            r_copy_file(src, dest)

    def copy_up(a):
        if not r_lexists(up(a)) and exists(a):
            prepare_parent(a)
            copy_tree_up(a, up(a))

    def remove_upper(a):
        r_rmtree(up(a))

    def record(kind, a, **extra):
        rel = shown(a)
        if kind == "delete" and not lower_exists(a) and not existed.get(a, False):
            # Created and removed within the run (a temp file): nothing would remain changed.
            keep = [c for c in pending if c["path"] != rel]
            if len(keep) != len(pending):
                pending[:] = keep
                return
        for c in pending:
            same = c["path"] == rel and not extra and "to" not in c
            if same and (c["kind"] == kind or (kind == "metadata" and c["kind"] in ("write", "append"))):
                return
        entry = {"kind": kind, "path": rel, "abs": a}
        if kind == "append":
            r = resolve(a)
            entry["before"] = r_size(r) if r else 0
        entry.update(extra)
        pending.append(entry)

    def settle(a):
        """Fixes the size of pending writes to `a` before the run removes or moves it."""
        for c in pending:
            if c["abs"] == a and c["kind"] in ("write", "append") and "final" not in c:
                c["final"] = r_size(up(a))

    def merged_names(a):
        names = set()
        u = up(a)
        found = False
        if r_isdir(u):
            found = True
            names.update(real["listdir"](u))
        if not hidden(a) and r_isdir(a):
            found = True
            for n in real["listdir"](a):
                if not hidden(os.path.join(a, n)) or r_lexists(os.path.join(u, n)):
                    names.add(n)
        if not found:
            if exists(a):
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", a)
            raise not_found(a)
        return sorted(names)

"""#
}
