enum SpecialForm { case quote }
final class Macro {}
