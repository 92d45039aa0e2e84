/**
 * The command line ({@code catchment serve | org | api-key}), built with picocli. Commands
 * translate flags and environment variables into configuration and call core; no logic here.
 */
package io.catchment.server.cli;
