import ArgumentParser
import Sandbox

/// Every exit status the CLI uses, and the one place sandbox outcomes become exit statuses
/// (style §4: convert once, at the edge; §8: codes documented in each command's discussion).
enum ExitCodes {
    /// The command did its work: for `eval`, the program's status was `ok` or `finished`.
    static let success = ExitCode.success
    /// A Scheme error (read, syntax, runtime or resource limit), or output that could not be written.
    static let failure = ExitCode(1)
    /// Bad command-line input (EX_USAGE), the status ArgumentParser gives a `ValidationError`.
    static let usage = ExitCode.validationFailure

    /// The exit status for an evaluation's outcome.
    static func status(of result: EvalResult) -> ExitCode {
        switch result.status {
        case .ok, .finished: return success
        case .error: return failure
        }
    }

    /// `run` stopped by Ctrl-C (the shell's 128 + SIGINT).
    static let interrupted = ExitCode(130)

    /// The exit status for a host evaluation's outcome (`rlm-plan run`).
    static func status(of result: EvaluationResult) -> ExitCode {
        switch result.status {
        case .ok, .finished: return success
        case .error: return failure
        case .interrupted: return interrupted
        }
    }

    /// The exit-status table that ends a command's discussion.
    ///
    /// - Parameters:
    ///   - success: when the command exits 0.
    ///   - failure: when it exits 1.
    ///   - usage: the usage errors the command can have.
    static func discussion(success: String, failure: String,
                           usage: String = "unknown option or bad option value") -> String {
        """
        Exit status:
          \(ExitCodes.success.rawValue)   \(success)
          \(ExitCodes.failure.rawValue)   \(failure)
          \(ExitCodes.usage.rawValue)  usage error: \(usage)
        """
    }
}
