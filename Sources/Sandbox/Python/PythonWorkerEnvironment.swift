import Foundation

/// The environment the Python worker starts with: never an API key or other secret.
///
/// A real run (`PythonReach.full`) passes the process environment without the variables whose
/// names mark them as secrets (`isSecretName`). A simulated run passes only a safe minimum
/// (`PATH`, `HOME`, locale, time zone, `TMPDIR` and Python's own search variables).
/// The values removed (plus secret values in `./.env`) are also what the bridge scrubs from the
/// worker's replies, so a key Python finds some other way (a file) is still not handed back.
enum PythonWorkerEnvironment {
    /// Variables a simulated worker keeps.
    static let dryRunAllowed: Set<String> = [
        "PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV",
        "PYTHONIOENCODING", "PYTHONUTF8",
    ]

    /// Whether a variable named `name` holds a credential: `*_API_KEY`, `*_TOKEN`, `*_SECRET`,
    /// `*_PASSWORD` (and names containing those words), private and access keys, and every
    /// `OPENAI_*` / `ANTHROPIC_*` variable.
    static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.hasPrefix("OPENAI_") || upper.hasPrefix("ANTHROPIC_") || isCredentialName(name)
    }

    /// Whether `name` is a credential's name by its words alone (`OPENAI_BASE_URL` is not).
    static func isCredentialName(_ name: String) -> Bool {
        let upper = name.uppercased()
        let words = ["API_KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE_KEY",
                     "ACCESS_KEY", "AUTH"]
        return words.contains { upper.contains($0) }
    }

    /// The worker's environment for `reach`, taken from `environment`.
    static func forWorker(_ reach: PythonReach.Mode,
                          from environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        environment.filter { name, _ in
            if isSecretName(name) { return false }
            switch reach {
            case .full: return true
            case .copyOnWrite: return dryRunAllowed.contains(name) || name.hasPrefix("LC_")
            }
        }
    }

    /// The secret values this process knows: those of credential-named variables in the environment
    /// and in `./.env` (the provider reads both), at least 4 characters long.
    static func secretValues(from environment: [String: String] = ProcessInfo.processInfo.environment,
                             dotEnvPath: String? = ".env") -> [String] {
        var values = Set<String>()
        let fileValues = dotEnvPath.map(DotEnv.load(path:)) ?? [:]
        for source in [environment, fileValues] {
            for (name, value) in source where isCredentialName(name) && value.count >= 4 {
                values.insert(value)
            }
        }
        return values.sorted()
    }
}
