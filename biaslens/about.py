__title__ = "biaslens-welfare"
__version__ = "0.1.0"
