/**
 * Text extraction (Apache Tika; tesseract OCR when asked) and normalisation into a chunkable
 * shape: tables as "header: value" rows, JSON flattened to dot paths, PDFs by page.
 */
package io.catchment.ingest.parse;
