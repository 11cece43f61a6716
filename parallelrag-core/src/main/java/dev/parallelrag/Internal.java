package dev.parallelrag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type that is public only because another ParallelRAG package or module uses it: it is not API.
 * It may change or disappear in any release, without notice or deprecation, and it is left out of the
 * generated Javadoc. Build on the types without this mark.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Internal {
}
