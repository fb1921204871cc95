// Module EmbeddingCatalog: products, their vectors, persistence, top-k search, evaluation metrics.
