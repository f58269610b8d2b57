extension PythonDryRunScript {
    /// The second half of `_dry_run_install`: puts the patched functions in place, rebinds the
    /// standard library's captured defaults, installs the audit-hook guard, and returns
    /// `take_changes`.
    static let install = #"""
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
