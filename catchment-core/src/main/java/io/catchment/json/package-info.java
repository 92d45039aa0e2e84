/**
 * The one Jackson configuration shared by storage (JSON columns) and the HTTP layer, so a
 * document reads back exactly as it was written.
 */
package io.catchment.json;
