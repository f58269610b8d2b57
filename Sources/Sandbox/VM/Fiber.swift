/// A thread of Scheme control: its own value stack, frame stack, handler and parameter stacks.
final class Fiber {
}
