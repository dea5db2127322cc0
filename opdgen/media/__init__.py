"""Media: images processed with Pillow (metadata stripped, responsive sizes, cached) and documents."""
