"""Compatibility shims: `import anneal.compat.wandb as wandb` runs a typical W&B script against Anneal."""
