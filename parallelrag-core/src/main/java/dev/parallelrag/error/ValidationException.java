package dev.parallelrag.error;

/** An input or configuration value broke a rule. Names the field, the offending value and the rule. */
public final class ValidationException extends ParallelRagException {

    private final String field;
    private final String value;
    private final String rule;

    public ValidationException(String field, Object value, String rule) {
        super(field + " " + describe(value) + " " + rule);
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
        this.rule = rule;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "(null)";
        }
        String s = String.valueOf(value);
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return "= " + (value instanceof CharSequence ? '"' + s + '"' : s) + ":";
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public String rule() {
        return rule;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION;
    }
}
