import Sandbox
let s = SandboxSession()
let code = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "(finish 1)"
let r = s.eval(code)
print(r.status, r.result, r.stdout, r.error?.messageWithPosition ?? "")
