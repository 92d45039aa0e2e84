package io.catchment.connector.credentials;

import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML from providers and feeds, read without DTDs or external entities (no XXE, no entity
 * expansion bombs) by the JDK's own StAX parser, whatever else is on the class path.
 */
final class SafeXml {
    private static final int MAX_ELEMENTS = 200_000;
    private static final int MAX_DEPTH = 64;

    private SafeXml() {
    }

    /** A streaming reader over {@code in} with DTDs and external entities off. */
    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return factory().createXMLStreamReader(in);
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** An element: its local name, attributes by local name, own text and children. */
    record Node(String name, Map<String, String> attributes, String text, List<Node> children) {

        /** The first child with this local name. */
        Optional<Node> child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst();
        }

        List<Node> all(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).toList();
        }

        /** The trimmed text of the first child with this name, if it exists and is not empty. */
        Optional<String> text(String childName) {
            return child(childName).map(Node::text).map(String::strip).filter(t -> !t.isEmpty());
        }
    }

    /**
     * The whole document as a tree (for small answers such as S3 and Azure listings and errors).
     *
     * @throws XMLStreamException when it is not well-formed XML, uses a DTD entity, or is
     *                            unreasonably deep or large
     */
    static Node parse(String xml) throws XMLStreamException {
        XMLStreamReader reader = factory().createXMLStreamReader(new StringReader(xml));
        try {
            Deque<Builder> open = new ArrayDeque<>();
            int elements = 0;
            Node root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > MAX_ELEMENTS || open.size() >= MAX_DEPTH) {
                            throw new XMLStreamException("document too large or too deep");
                        }
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        open.push(new Builder(reader.getLocalName(), attributes));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!open.isEmpty()) {
                            open.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Builder done = open.pop();
                        Node node = new Node(done.name, Map.copyOf(done.attributes), done.text.toString(),
                                List.copyOf(done.children));
                        if (open.isEmpty()) {
                            root = node;
                        } else {
                            open.peek().children.add(node);
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new XMLStreamException("entity references are not allowed");
                    default -> {
                        // prolog, comments, processing instructions, ignored DTD: nothing to keep
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

    private static final class Builder {
        final String name;
        final Map<String, String> attributes;
        final StringBuilder text = new StringBuilder();
        final List<Node> children = new ArrayList<>();

        Builder(String name, Map<String, String> attributes) {
            this.name = name;
            this.attributes = attributes;
        }
    }
}
