/// What a top-level name means to the compiler when it is not a variable.
enum SyntaxBinding {
    case special(SpecialForm)
    case macro(Macro)
}
