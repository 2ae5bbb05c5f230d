"""Factur-X: embeds the CII XML into the invoice PDF as PDF/A-3 (XMP metadata
with the Factur-X extension schema, the XML as an associated file).

Called by the billing activity: argv = pdf path, xml path, output path. The
XML is checked against the EN 16931 XSD that ships with factur-x; a failure
exits with code 2 and the reason on stderr."""
import sys

from facturx import generate_from_binary


def main():
    pdf_path, xml_path, out_path = sys.argv[1:4]
    with open(pdf_path, "rb") as f:
        pdf = f.read()
    with open(xml_path, "rb") as f:
        xml = f.read()
    try:
        out = generate_from_binary(
            pdf, xml, flavor="factur-x", level="en16931", check_xsd=True, lang="fr-FR"
        )
    except Exception as err:  # the XSD report, or a PDF the library cannot read
        sys.stderr.write(f"{type(err).__name__}: {err}\n")
        sys.exit(2)
    with open(out_path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
