/**
 * The hosted pages: what an end user's browser sees after OAuth (success or error, then the file
 * picker) and the operator console at {@code /console}. Pages are a server-rendered shell (branding,
 * title, a no-script message) plus bundled static assets; everything they do goes through the same
 * public API any client calls (an access token on end-user pages, the admin's API key in the
 * console), so nothing here is privileged. Nothing is loaded from other hosts (the CSP forbids it).
 */
package io.catchment.server.web;
