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
    static let source = #"""
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

    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def for_write(a, flags):
        """Makes the scratch copy ready for an open with `flags`; returns its path."""
        there = exists(a)
        if flags & os.O_CREAT and flags & os.O_EXCL and there:
            raise FileExistsError(errno.EEXIST, "File exists", a)
        if not there and not flags & os.O_CREAT:
            raise not_found(a)
        if there and isdir(a):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", a)
        existed.setdefault(a, there)
        if there and not flags & os.O_TRUNC:
            copy_up(a)
        else:
            prepare_parent(a)
        record("append" if flags & os.O_APPEND else "write", a)
        return up(a)

    def mode_flags(mode):
        if "x" in mode:
            return os.O_CREAT | os.O_EXCL | os.O_WRONLY
        if "w" in mode:
            return os.O_CREAT | os.O_TRUNC | os.O_WRONLY
        if "a" in mode:
            return os.O_CREAT | os.O_APPEND | os.O_WRONLY
        if "+" in mode:
            return os.O_RDWR
        return 0

    def read_path(p):
        a, back = absolute(p)
        r = resolve(a)
        if r is None:
            raise not_found(a)
        return back(r)

    def dry_open(file, mode="r", *args, **kwargs):
        if isinstance(file, int):
            return real_io_open(file, mode, *args, **kwargs)
        if kwargs.get("opener") is not None:
            # The opener opens the file itself (through os.open, which translates and is guarded),
            # so the audit event io.open raises first for the untranslated name is not a write.
            opener_pending[0] = True
            try:
                return real_io_open(file, mode, *args, **kwargs)
            finally:
                opener_pending[0] = False
        a, back = absolute(file)
        flags = mode_flags(mode)
        target = for_write(a, flags) if flags else read_path(file)
        return real_io_open(back(target) if flags else target, mode, *args, **kwargs)

    def dry_os_open(path, flags, mode=0o777, *, dir_fd=None):
        if dir_fd is not None:
            raise refuse("opening files relative to a directory descriptor")
        a, back = absolute(path)
        if flags & write_flags:
            return real["open"](back(for_write(a, flags)), flags, mode)
        return real["open"](read_path(path), flags, mode)

    def reader(name):
        fn = real[name]

        def wrapped(path, *args, **kwargs):
            if isinstance(path, int) or kwargs.get("dir_fd") is not None:
                return fn(path, *args, **kwargs)
            return fn(read_path(path), *args, **kwargs)
        wrapped.__name__ = name
        return wrapped

    def dry_listdir(path="."):
        if isinstance(path, int):
            return real["listdir"](path)
        a, back = absolute(path)
        return [back(n) for n in merged_names(a)]

    class DirEntry:
        def __init__(self, parent, name):
            self.name = name
            self.path = os.path.join(parent, name)

        def __fspath__(self):
            return self.path

        def is_dir(self, *, follow_symlinks=True):
            try:
                return _st.S_ISDIR((dry_stat if follow_symlinks else dry_lstat)(self.path).st_mode)
            except OSError:
                return False

        def is_file(self, *, follow_symlinks=True):
            try:
                return _st.S_ISREG((dry_stat if follow_symlinks else dry_lstat)(self.path).st_mode)
            except OSError:
                return False

        def is_symlink(self):
            try:
                return _st.S_ISLNK(dry_lstat(self.path).st_mode)
            except OSError:
                return False

        def stat(self, *, follow_symlinks=True):
            return (dry_stat if follow_symlinks else dry_lstat)(self.path)

        def inode(self):
            return dry_lstat(self.path).st_ino

        def __repr__(self):
            return "<DirEntry %r>" % (self.name,)

    class ScandirIterator:
        def __init__(self, entries):
            self._it = iter(entries)

        def __iter__(self):
            return self

        def __next__(self):
            return next(self._it)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def close(self):
            pass

    def dry_scandir(path="."):
        if isinstance(path, int):
            return real["scandir"](path)
        names = dry_listdir(path)
        parent = os.fspath(path)
        return ScandirIterator([DirEntry(parent, n) for n in names])

    dry_stat = reader("stat")
    dry_lstat = reader("lstat")

    def delete(path, kind_is_dir, dir_fd=None):
        if dir_fd is not None:
            raise refuse("deleting files relative to a directory descriptor")
        a, _ = absolute(path)
        if not exists(a):
            raise not_found(a)
        if kind_is_dir:
            if not isdir(a):
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", a)
            if merged_names(a):
                raise OSError(errno.ENOTEMPTY, "Directory not empty", a)
        elif isdir(a) and not r_islink(resolve(a)):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", a)
        settle(a)
        record("delete", a)
        remove_upper(a)
        whiteouts.add(a)
        save_state()

    def dry_remove(path, *, dir_fd=None):
        delete(path, False, dir_fd)

    def dry_rmdir(path, *, dir_fd=None):
        delete(path, True, dir_fd)

    def dry_rmtree(path, ignore_errors=False, onerror=None, **kwargs):
        a, _ = absolute(path)
        try:
            if not isdir(a):
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", a)
            record("delete", a)
            remove_upper(a)
            whiteouts.add(a)
            save_state()
        except OSError:
            if ignore_errors:
                return
            if onerror is not None:
                onerror(dry_rmtree, path, sys.exc_info())
                return
            raise

    def dry_rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        if src_dir_fd is not None or dst_dir_fd is not None:
            raise refuse("renaming relative to a directory descriptor")
        s, _ = absolute(src)
        d, _ = absolute(dst)
        if not exists(s):
            raise not_found(s)
        if s == d:
            return
        if isdir(s) and exists(d) and (not isdir(d) or merged_names(d)):
            raise OSError(errno.ENOTEMPTY, "Directory not empty", d)
        if not isdir(s) and isdir(d):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", d)
        prepare_parent(d)
        settle(s)
        settle(d)
        staging = os.path.join(_scratch, "staging")
        r_rmtree(staging)
        copy_tree_up(s, staging)
        remove_upper(d)
        real["rename"](staging, up(d))
        if isdir(s):
            whiteouts.add(d)
        remove_upper(s)
        whiteouts.add(s)
        save_state()
        record("rename", s, to=shown(d))

    def dry_mkdir(path, mode=0o777, *, dir_fd=None):
        if dir_fd is not None:
            raise refuse("creating directories relative to a directory descriptor")
        a, _ = absolute(path)
        if exists(a):
            raise FileExistsError(errno.EEXIST, "File exists", a)
        prepare_parent(a)
        real["mkdir"](up(a), mode)
        whiteouts.add(a)
        save_state()
        record("mkdir", a)

    def modifier(name, kind):
        fn = real[name]

        def wrapped(path, *args, **kwargs):
            if isinstance(path, int):
                return fn(path, *args, **kwargs)
            if kwargs.get("dir_fd") is not None:
                raise refuse("changing files relative to a directory descriptor")
            a, back = absolute(path)
            if not exists(a):
                raise not_found(a)
            copy_up(a)
            record(kind, a)
            return fn(back(up(a)), *args, **kwargs)
        wrapped.__name__ = name
        return wrapped

    def dry_symlink(src, dst, target_is_directory=False, *, dir_fd=None):
        if dir_fd is not None:
            raise refuse("linking relative to a directory descriptor")
        a, back = absolute(dst)
        if exists(a):
            raise FileExistsError(errno.EEXIST, "File exists", a)
        prepare_parent(a)
        record("write", a)
        real["symlink"](src, back(up(a)))

    def dry_hardlink(src, dst, *, src_dir_fd=None, dst_dir_fd=None, follow_symlinks=True):
        if src_dir_fd is not None or dst_dir_fd is not None:
            raise refuse("linking relative to a directory descriptor")
        d, back = absolute(dst)
        if exists(d):
            raise FileExistsError(errno.EEXIST, "File exists", d)
        prepare_parent(d)
        s, _ = absolute(src)
        copy_up(s)
        record("write", d)
        real["link"](up(s), up(d))

    os.open = dry_os_open
    os.stat = dry_stat
    os.lstat = dry_lstat
    os.access = reader("access")
    os.readlink = reader("readlink")
    os.listdir = dry_listdir
    os.scandir = dry_scandir
    os.remove = os.unlink = dry_remove
    os.rmdir = dry_rmdir
    os.rename = os.replace = dry_rename
    os.mkdir = dry_mkdir
    os.truncate = modifier("truncate", "write")
    os.chmod = modifier("chmod", "metadata")
    os.chown = modifier("chown", "metadata")
    os.utime = modifier("utime", "metadata")
    os.symlink = dry_symlink
    os.link = dry_hardlink
    builtins.open = io.open = dry_open
    shutil.rmtree = dry_rmtree

    # Standard-library functions that captured an os function as a default argument when their
    # module was imported (tempfile's closer keeps `unlink=_os.unlink`) get the patched one.
    patched = {id(real[n]): getattr(os, n) for n in real}
    import tempfile

    def rebind_defaults(fn):
        fn = getattr(fn, "__func__", fn)
        if getattr(fn, "__defaults__", None):
            fn.__defaults__ = tuple(patched.get(id(v), v) for v in fn.__defaults__)
        if getattr(fn, "__kwdefaults__", None):
            fn.__kwdefaults__ = {k: patched.get(id(v), v) for k, v in fn.__kwdefaults__.items()}

    for module in (tempfile, shutil):
        for value in list(vars(module).values()):
            if isinstance(value, type):
                for member in vars(value).values():
                    if callable(member) or isinstance(member, (staticmethod, classmethod)):
                        rebind_defaults(member)
            elif callable(value):
                rebind_defaults(value)

    # The guard under the translation: whatever reaches the operating system unpatched (C code,
    # `posix.*`, `_io.FileIO`) may still read anything, but may change only the scratch area.
    scratch_prefix = os.path.abspath(_scratch).rstrip("/") + "/"
    path_events = {
        "os.remove": (0,), "os.rmdir": (0,), "os.rename": (0, 1), "os.mkdir": (0,), "os.chmod": (0,),
        "os.chown": (0,), "os.utime": (0,), "os.truncate": (0,), "os.link": (0, 1), "os.symlink": (1,),
        "os.setxattr": (0,), "os.removexattr": (0,), "os.chflags": (0,), "os.lchflags": (0,),
        "os.lchmod": (0,),
    }
    refused = {
        "socket.connect": "network access", "socket.bind": "network access", "socket.sendto": "network access",
        "socket.sendmsg": "network access", "socket.getaddrinfo": "network access",
        "socket.gethostbyname": "network access", "socket.gethostbyaddr": "network access",
        "socket.gethostbyname_ex": "network access",
        "subprocess.Popen": "running other programs (subprocess)", "os.system": "running other programs (os.system)",
        "os.exec": "running other programs (os.exec*)", "os.posix_spawn": "running other programs (os.posix_spawn)",
        "os.spawn": "running other programs (os.spawn*)", "os.fork": "starting processes (os.fork)",
        "os.forkpty": "starting processes (os.forkpty)", "os.kill": "sending signals to processes",
        "os.killpg": "sending signals to processes", "os.putenv": "changing the environment",
        "os.unsetenv": "changing the environment", "ctypes.dlsym": "calling C functions through ctypes",
        "ctypes.call_function": "calling C functions through ctypes", "os.mkfifo": "creating special files",
        "os.mknod": "creating special files",
    }

    def inside_scratch(p):
        if isinstance(p, int):
            return True
        try:
            p = os.fsdecode(os.fspath(p))
        except TypeError:
            return False
        return os.path.abspath(p).startswith(scratch_prefix)

    def guard(event, args):
        if event in refused:
            raise refuse(refused[event])
        if event == "open":
            if opener_pending[0] and len(args) > 1 and isinstance(args[1], str):
                opener_pending[0] = False
                return
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            writes = flags & write_flags or any(c in mode for c in "wax+")
            if writes and args[0] is not None and not inside_scratch(args[0]):
                raise refuse("writing outside the simulation's copy of the files")
            return
        positions = path_events.get(event)
        if positions is not None:
            for i in positions:
                if i < len(args) and not inside_scratch(args[i]):
                    raise refuse("changing files outside the simulation's copy")

    sys.addaudithook(guard)

    def take_changes():
        out = []
        for c in pending:
            entry = {"kind": c["kind"], "path": c["path"], "bytes": 0}
            if c["kind"] in ("write", "append"):
                size = c["final"] if "final" in c else r_size(up(c["abs"]))
                entry["bytes"] = size - c.get("before", 0) if c["kind"] == "append" else size
            if "to" in c:
                entry["to"] = c["to"]
            out.append(entry)
        pending.clear()
        return out

    return take_changes
"""#
}
