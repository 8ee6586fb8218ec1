import pandas as pd

from churn.features import clean_customers


def test_clean_customers_drops_duplicates():
    df = pd.DataFrame({"customer_id": [1, 1, 2], "monthly_charges": [10.0, 10.0, None]})
    out = clean_customers(df)
    assert out["customer_id"].tolist() == [1, 2]
    assert out["monthly_charges"].isna().sum() == 0
