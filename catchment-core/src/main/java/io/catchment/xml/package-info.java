/**
 * Reading small XML answers from providers (bucket and container listings, error bodies, feeds)
 * safely: the JDK's own StAX parser with DTDs and external entities switched off (no XXE, no
 * entity-expansion bombs), and limits on the number and nesting depth of elements, so a hostile
 * or broken answer cannot exhaust memory or the stack.
 */
package io.catchment.xml;
