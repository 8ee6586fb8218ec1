"""Feature engineering for the churn model."""

import numpy as np
import pandas as pd


def clean_customers(df: pd.DataFrame) -> pd.DataFrame:
    """Drop duplicate customers and fill missing monthly charges."""
    df = df.drop_duplicates(subset="customer_id")
    df["monthly_charges"] = df["monthly_charges"].fillna(df["monthly_charges"].median())
    return df


def add_tenure_buckets(df: pd.DataFrame) -> pd.DataFrame:
    """Bucket tenure in months into the groups marketing uses."""
    bins = [0, 12, 24, 48, np.inf]
    labels = ["new", "settling", "loyal", "veteran"]
    return df.assign(tenure_bucket=pd.cut(df["tenure"], bins=bins, labels=labels))


def encode_contract_type(df: pd.DataFrame) -> pd.DataFrame:
    """One-hot encode the contract type."""
    dummies = pd.get_dummies(df["contract"], prefix="contract")
    return pd.concat([df.drop(columns=["contract"]), dummies], axis=1)


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    df = clean_customers(df)
    df = add_tenure_buckets(df)
    return encode_contract_type(df)
