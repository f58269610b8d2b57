extension PythonDryRunScript {
    /// The file operations of the overlay (`open`, `os.open`, listing, delete, rename, mkdir, …):
    /// the middle part of `_dry_run_install`.
    static let operations = #"""
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

"""#
}
