/** Token-based chunking (cl100k_base via jtokkit) with Carbon's options: size, overlap, pages, items. */
package io.catchment.ingest.chunk;
