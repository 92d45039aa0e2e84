package io.catchment.xml;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML from providers read without DTDs or external entities by the JDK's own StAX parser,
 * whatever else is on the class path.
 *
 * <p>{@link #parse(String)} and {@link #parse(byte[])} read a whole (small) answer into a tree of
 * {@link Node}s, refusing documents with more than {@value #MAX_ELEMENTS} elements or nesting
 * deeper than {@value #MAX_DEPTH} (a full S3 page of 1,000 objects or an Azure page of 5,000 blobs
 * fits easily). {@link #reader(InputStream)} gives a streaming reader with the same safe settings
 * for callers that stop early (feed sniffing); it applies no element limits of its own.
 */
public final class SafeXml {
    /** The most elements a parsed document may have. */
    public static final int MAX_ELEMENTS = 500_000; // a 5,000-blob Azure page with metadata fits
    /** The deepest nesting of elements a parsed document may have. */
    public static final int MAX_DEPTH = 32;

    private SafeXml() {
    }

    /**
     * An element: its local name, its attributes by local name, its own text exactly as sent (not
     * trimmed; the concatenation of its character data, CDATA included) and its child elements.
     */
    public record Node(String name, Map<String, String> attributes, String text, List<Node> children) {
        public Node {
            Objects.requireNonNull(name, "name");
            attributes = Map.copyOf(attributes);
            Objects.requireNonNull(text, "text");
            children = List.copyOf(children);
        }

        /** The first child with this local name. */
        public Optional<Node> child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst();
        }

        /** All children with this local name, in document order. */
        public List<Node> all(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).toList();
        }

        /** The trimmed text of the first child with this name, when it is there and not blank. */
        public Optional<String> text(String childName) {
            return child(childName).map(Node::text).map(String::strip).filter(t -> !t.isEmpty());
        }

        /**
         * The text of the first child with this name exactly as sent (object keys and blob names
         * may begin or end with spaces), empty only when there is no such child.
         */
        public Optional<String> rawText(String childName) {
            return child(childName).map(Node::text);
        }
    }

    /** A streaming reader over {@code in} with DTDs and external entities off. */
    public static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return factory().createXMLStreamReader(in);
    }

    /**
     * The whole document as a tree.
     *
     * @throws XMLStreamException when it is not well-formed XML, uses an entity reference, or is
     *                            too large or too deep
     */
    public static Node parse(String xml) throws XMLStreamException {
        return tree(factory().createXMLStreamReader(new StringReader(xml)));
    }

    /**
     * The whole document as a tree, its encoding taken from the XML declaration (UTF-8 without one).
     *
     * @throws XMLStreamException when it is not well-formed XML, uses an entity reference, or is
     *                            too large or too deep
     */
    public static Node parse(byte[] xml) throws XMLStreamException {
        return tree(factory().createXMLStreamReader(new ByteArrayInputStream(xml)));
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    private static Node tree(XMLStreamReader reader) throws XMLStreamException {
        try {
            Deque<Open> open = new ArrayDeque<>();
            int elements = 0;
            Node root = null;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > MAX_ELEMENTS || open.size() >= MAX_DEPTH) {
                            throw new XMLStreamException("document too large or too deep");
                        }
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        open.push(new Open(reader.getLocalName(), attributes));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!open.isEmpty()) {
                            open.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Open done = open.pop();
                        Node node = new Node(done.name, done.attributes, done.text.toString(), done.children);
                        if (open.isEmpty()) {
                            root = node;
                        } else {
                            open.peek().children.add(node);
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new XMLStreamException("entity references are not allowed");
                    default -> {
                        // prolog, comments, processing instructions, an ignored DTD: nothing to keep
                    }
                }
            }
            if (root == null) {
                throw new XMLStreamException("no root element");
            }
            return root;
        } finally {
            reader.close();
        }
    }

    private static final class Open {
        final String name;
        final Map<String, String> attributes;
        final StringBuilder text = new StringBuilder();
        final List<Node> children = new ArrayList<>();

        Open(String name, Map<String, String> attributes) {
            this.name = name;
            this.attributes = attributes;
        }
    }
}
