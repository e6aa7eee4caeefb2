import json, re, sys
# The registry mirror here serves only this platform's builds, so npm cannot record the
# other platforms' optional packages, and `npm ci` then refuses the lockfile. Record them
# from their names (os/cpu), which is all `npm ci` needs to skip them on this platform.
path = sys.argv[1]
l = json.load(open(path))
pk = l['packages']
OS = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony']
CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32']
added = 0
for key, entry in list(pk.items()):
    for dep, ver in (entry.get('optionalDependencies') or {}).items():
        hoisted = 'node_modules/' + dep
        nested = (key + '/node_modules/' + dep) if key else hoisted
        if hoisted in pk or nested in pk:
            continue
        name = dep.split('/')[-1]
        parts = re.split(r'[-_]', name)
        e = {'version': ver, 'optional': True}
        os_ = [o for o in OS if o in parts] or (['darwin'] if 'macos' in parts else [])
        cpu = [c for c in CPU if c in parts] or (['x64'] if 'x86_64' in name or 'amd64' in parts else [])
        if 'gnueabihf' in parts and 'arm' not in cpu: cpu = ['arm']
        if os_: e['os'] = os_
        if cpu: e['cpu'] = cpu
        if 'musl' in parts: e['libc'] = ['musl']
        elif os_ == ['linux'] and ('gnu' in parts or 'gnueabihf' in parts): e['libc'] = ['glibc']
        if entry.get('dev'): e['dev'] = True
        pk[hoisted] = dict(sorted(e.items()))
        added += 1
l['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(l, open(path, 'w'), indent=2)
open(path, 'a').write('\n')
print('added', added)
