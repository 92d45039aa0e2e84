package io.catchment.connectors.s3;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * S3's XML answers (listings, errors) read into a small tree by the JDK's StAX parser with DTDs
 * and external entities off, and limits on size and depth.
 */
final class S3Xml {
    private static final int MAX_ELEMENTS = 500_000;
    private static final int MAX_DEPTH = 32;

    private S3Xml() {
    }

    /** An element: its local name, its own text (not trimmed) and its children. */
    record Node(String name, String text, List<Node> children) {
        Optional<Node> child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst();
        }

        List<Node> all(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).toList();
        }

        /** The trimmed text of the first such child, when it is there and not blank. */
        Optional<String> text(String childName) {
            return child(childName).map(Node::text).map(String::strip).filter(t -> !t.isEmpty());
        }

        /** The text of the first such child exactly as sent (object keys may begin or end with spaces). */
        Optional<String> rawText(String childName) {
            return child(childName).map(Node::text);
        }
    }

    static Node parse(byte[] body) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(body));
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
                        open.push(new Open(reader.getLocalName()));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!open.isEmpty()) {
                            open.peek().text.append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Open done = open.pop();
                        Node node = new Node(done.name, done.text.toString(), List.copyOf(done.children));
                        if (open.isEmpty()) {
                            root = node;
                        } else {
                            open.peek().children.add(node);
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new XMLStreamException("entity references are not allowed");
                    default -> {
                        // prolog, comments, processing instructions
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
        final StringBuilder text = new StringBuilder();
        final List<Node> children = new ArrayList<>();

        Open(String name) {
            this.name = name;
        }
    }
}
